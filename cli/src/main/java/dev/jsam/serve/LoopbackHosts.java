package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;

import java.util.Locale;

/**
 * A guard against DNS rebinding for a server bound to loopback: a web page elsewhere can make a
 * browser send requests to 127.0.0.1, but its Host header then names the page's own domain. Only
 * Host names localhost, 127.0.0.1 and [::1] (any port) are served; others get a 403.
 */
final class LoopbackHosts {
    private LoopbackHosts() {
    }

    static void require(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        String name = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[")) {
            name = name.substring(0, name.indexOf(']') + 1);
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        if (!name.equals("localhost") && !name.equals("127.0.0.1") && !name.equals("[::1]")) {
            throw new ApiException(403, "this server answers only requests addressed to localhost or 127.0.0.1"
                    + " (it is bound to loopback); start it with --host to serve other names");
        }
    }
}
