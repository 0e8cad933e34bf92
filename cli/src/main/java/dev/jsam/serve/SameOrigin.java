package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * A guard against cross-site requests: any web page the user visits can make the browser POST to
 * this server (a text/plain form post needs no CORS preflight), starting encoder runs and
 * segment-everything jobs. Requests that change state (anything but GET and HEAD) are refused
 * with a 403 when the browser says they come from another site: Sec-Fetch-Site other than
 * same-origin or none, or an Origin whose host and port differ from the Host header. Clients that
 * send neither header (curl, scripts) are not browsers acting for a page and pass.
 */
final class SameOrigin {
    private SameOrigin() {
    }

    static void require(HttpExchange ex) {
        String method = ex.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return;
        }
        String site = ex.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw refusal("Sec-Fetch-Site: " + site);
        }
        List<String> origins = ex.getRequestHeaders().get("Origin");
        if (origins == null) {
            return;
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        if (origins.size() != 1 || host == null || !authority(origins.getFirst()).equals(host.trim().toLowerCase(Locale.ROOT))) {
            throw refusal("Origin: " + String.join(", ", origins));
        }
    }

    /** host[:port] of an http(s) origin in lower case, as a Host header writes it; "" when malformed or opaque. */
    private static String authority(String origin) {
        try {
            URI u = new URI(origin.trim());
            boolean web = "http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme());
            return web && u.getRawAuthority() != null && u.getRawUserInfo() == null
                    ? u.getRawAuthority().toLowerCase(Locale.ROOT) : "";
        } catch (URISyntaxException e) {
            return "";
        }
    }

    private static ApiException refusal(String header) {
        return new ApiException(403, "cross-site request refused (" + header + "): only this server's own page"
                + " may change its state");
    }
}
