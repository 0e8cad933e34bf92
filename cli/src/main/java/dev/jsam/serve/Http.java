package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.jsam.tensor.io.Json;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The few HTTP chores every handler shares: bounded body reads, JSON and byte responses with
 * defensive headers, and {@link #guard}, which turns any failure into a 4xx/5xx with a one-line
 * {"error": ...} body so that a bad request never kills the server or leaks a stack trace.
 */
final class Http {
    private Http() {
    }

    /** A handler whose refusals and failures become one-line JSON errors. */
    interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    static HttpHandler guard(Handler h) {
        return ex -> {
            try (ex) {
                try {
                    h.handle(ex);
                } catch (ApiException e) {
                    sendError(ex, e.status(), e.getMessage());
                } catch (IllegalArgumentException e) {
                    sendError(ex, 400, e.getMessage());
                } catch (RuntimeException | IOException | OutOfMemoryError e) {
                    System.err.println("sam serve: " + ex.getRequestMethod() + " " + ex.getRequestURI().getPath()
                            + " failed: " + e);
                    sendError(ex, 500, "internal error: " + e.getClass().getSimpleName());
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("sam serve: could not answer " + ex.getRequestURI().getPath() + ": " + e);
            }
        };
    }

    /**
     * The body's announced length (Content-Length), or maxBytes when none is announced; 413 when
     * it announces more than maxBytes, 400 when it is not a number.
     */
    static long bodyLength(HttpExchange ex, long maxBytes) {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            return maxBytes;
        }
        long n;
        try {
            n = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "bad Content-Length: " + declared);
        }
        if (n > maxBytes) {
            throw new ApiException(413, "request body of " + n + " bytes is over the limit of " + maxBytes);
        }
        return n;
    }

    /**
     * The request body, refusing (413) more than maxBytes whether or not a length was announced.
     * An announced length is read into an array of that size; a body without one grows as it
     * arrives (up to about twice its size while it does).
     */
    static byte[] readBody(HttpExchange ex, long maxBytes) throws IOException {
        boolean announced = ex.getRequestHeaders().getFirst("Content-Length") != null;
        long n = bodyLength(ex, maxBytes);
        try (InputStream in = ex.getRequestBody()) {
            if (announced) {
                byte[] body = new byte[(int) n];
                int got = in.readNBytes(body, 0, body.length);
                if (got < n) {
                    throw new ApiException(400, "request body cut short: " + got + " of " + n + " bytes");
                }
                return body;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) {
                if (out.size() + (long) r > maxBytes) {
                    throw new ApiException(413, "request body is over the limit of " + maxBytes + " bytes");
                }
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        }
    }

    /** Writes a JSON answer as it is produced. */
    interface JsonBody {
        void write(Writer out) throws IOException;
    }

    /**
     * Answers 200 with a JSON body written as it is made (chunked), for answers whose size follows
     * the image's (a mask's run lengths): it is never held whole.
     */
    static void streamJson(HttpExchange ex, JsonBody body) throws IOException {
        headers(ex, "application/json; charset=utf-8");
        ex.sendResponseHeaders(200, 0);
        try (Writer out = new BufferedWriter(new OutputStreamWriter(ex.getResponseBody(), StandardCharsets.UTF_8),
                1 << 16)) {
            body.write(out);
        }
    }

    static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new ApiException(405, ex.getRequestMethod() + " is not allowed here; use " + method);
        }
    }

    static void sendJson(HttpExchange ex, int status, Map<String, ?> body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    static void sendError(HttpExchange ex, int status, String reason) throws IOException {
        String line = reason == null ? "error" : reason.replace('\n', ' ').replace('\r', ' ');
        sendJson(ex, status, Map.of("error", line));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        headers(ex, contentType);
        boolean noBody = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, noBody ? -1 : body.length == 0 ? -1 : body.length);
        if (!noBody && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void headers(HttpExchange ex, String contentType) {
        var h = ex.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Cache-Control", "no-store");
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; "
                + "frame-ancestors 'none'");
    }
}
