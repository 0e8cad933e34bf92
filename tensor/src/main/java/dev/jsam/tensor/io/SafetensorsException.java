package dev.jsam.tensor.io;

import java.io.IOException;

/**
 * A safetensors file that is malformed, inconsistent or lacks a requested tensor. The message
 * names the file, the tensor where there is one, and what is wrong. Plain I/O failures (file
 * missing, disk full) stay ordinary IOExceptions.
 * An exception: safe to pass between threads once thrown.
 */
public final class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
