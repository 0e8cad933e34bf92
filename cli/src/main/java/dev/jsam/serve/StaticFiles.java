package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The page's files, read only from this package's resources in the jar: "/" is index.html and any
 * other path must be one plain file name with a known extension, so no path (.., slashes, encoded
 * tricks) can reach anything else. Unknown names get a 404.
 */
final class StaticFiles {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    private StaticFiles() {
    }

    static void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new ApiException(405, method + " is not allowed here; use GET");
        }
        String path = ex.getRequestURI().getRawPath();
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!NAME.matcher(name).matches()) {
            throw new ApiException(404, "no such file: " + path);
        }
        byte[] body;
        try (InputStream in = StaticFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ApiException(404, "no such file: " + path);
            }
            body = in.readAllBytes();
        }
        Http.send(ex, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), body);
    }
}
