package dev.jsam.spark;

import java.nio.file.NoSuchFileException;

/**
 * The one-line reason an error row or the command line gives for an exception: its message's
 * first line without Java class names, or for a bare missing-file exception, what is missing.
 */
final class ErrorText {
    private ErrorText() {
    }

    static String of(Throwable e) {
        String m = e instanceof NoSuchFileException n && n.getReason() == null ? n.getFile() + ": no such file" : e.getMessage();
        if (e instanceof OutOfMemoryError) {
            m = "out of memory (" + m + ")";
        }
        String line = m == null ? "" : m.strip().lines().findFirst().orElse("");
        line = line.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b:? ?", "").strip();
        return line.isEmpty() ? e.getClass().getSimpleName() + " without a message" : line;
    }
}
