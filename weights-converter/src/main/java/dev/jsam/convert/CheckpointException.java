package dev.jsam.convert;

import java.io.IOException;

/**
 * A checkpoint that cannot be converted: not a PyTorch file, truncated, corrupt, or holding
 * something the restricted unpickler refuses. The message says what and where; plain I/O
 * failures stay ordinary IOExceptions.
 */
public final class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
