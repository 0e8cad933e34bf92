package dev.jsam.cli;

/** Bad command-line input: the message is the one line shown to the user (exit code 2). */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
