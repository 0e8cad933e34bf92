package dev.jsam.tensor;

/**
 * A backend was asked for but cannot be used here: its module is not on the class or module path,
 * its native libraries do not load, or the device does not exist. The message names what is
 * missing. Nothing falls back to another backend in its place.
 * An exception: safe to pass between threads once thrown.
 */
public class BackendUnavailableException extends RuntimeException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
