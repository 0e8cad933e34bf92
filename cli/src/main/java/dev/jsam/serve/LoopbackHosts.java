package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A guard against DNS rebinding for a server bound to loopback: a web page elsewhere can make a
 * browser send requests to 127.0.0.1, but its Host header then names the page's own domain. Only
 * a single Host header that is exactly localhost, 127.0.0.1 or [::1], with an optional port, is
 * served; anything else (other names, userinfo tricks such as localhost:1@evil.com, two Host
 * headers) gets a 403.
 */
final class LoopbackHosts {
    private static final Pattern LOCAL = Pattern.compile("(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?");

    private LoopbackHosts() {
    }

    static void require(HttpExchange ex) {
        List<String> hosts = ex.getRequestHeaders().get("Host");
        if (hosts == null || hosts.size() != 1
                || !LOCAL.matcher(hosts.getFirst().trim().toLowerCase(Locale.ROOT)).matches()) {
            throw new ApiException(403, "this server answers only requests addressed to localhost or 127.0.0.1"
                    + " (it is bound to loopback); start it with --host to serve other names");
        }
    }
}
