package dev.jsam.serve;

/**
 * A request the server refuses: an HTTP status (4xx, or 503 when busy) and the one-line reason
 * sent back as {"error": reason}. Thrown by the API code, turned into a response by {@link Http}.
 */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
