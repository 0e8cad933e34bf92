package dev.jsam.serve;

/**
 * A request the server refuses: an HTTP status (4xx, or 503 when busy) and the one-line reason
 * sent back as {"error": reason}. Thrown by the API code, turned into a response by {@link Http}.
 * Reasons often quote the client's input: control characters in them are written as \\uXXXX
 * escapes, so a reason is always one printable line.
 */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String reason) {
        super(oneLine(reason), null, false, false);
        this.status = status;
    }

    private static String oneLine(String reason) {
        StringBuilder sb = new StringBuilder(reason.length());
        for (char c : reason.toCharArray()) {
            if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    int status() {
        return status;
    }
}
