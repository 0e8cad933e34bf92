package dev.jsam.sam.modeling;

import java.io.IOException;

/**
 * A checkpoint in no format that the class path can load: not a safetensors file, and no
 * {@link dev.jsam.tensor.io.CheckpointConverter} recognises it. The one-line message says how to
 * convert it where that could help. An exception: safe to pass between threads once thrown.
 */
public final class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }
}
