package dev.jsam.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.regex.Pattern;

/**
 * The one line a user sees for an exception: the JDK's file-system exceptions, whose message is
 * often the bare path, get the problem spelled out; Java class names ("java.io.IOException: ")
 * are removed; only the first line is kept.
 */
final class ErrorLine {
    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b:? ?");

    private ErrorLine() {
    }

    static String of(Throwable e) {
        String m = switch (e) {
            case UncheckedIOException u when u.getCause() != null -> of(u.getCause());
            case OutOfMemoryError o -> "out of memory; give Java more with JSAM_JAVA_OPTS=-Xmx<size> (bin/sam passes it on)";
            case FileSystemException f when f.getReason() == null -> f.getFile() + ": " + problem(f);
            default -> e.getMessage();
        };
        if (m == null || m.isBlank()) {
            return "failed without a message (JSAM_DEBUG=1 shows where)";
        }
        String line = CLASS_NAME.matcher(m.strip().lines().findFirst().orElse("")).replaceAll("");
        return line.isBlank() ? "failed (JSAM_DEBUG=1 shows where)" : line;
    }

    private static String problem(FileSystemException f) {
        return switch (f) {
            case NoSuchFileException n -> "no such file or folder";
            case AccessDeniedException a -> "permission denied";
            case FileAlreadyExistsException a -> "already exists";
            case NotDirectoryException n -> "not a folder";
            case DirectoryNotEmptyException d -> "the folder is not empty";
            default -> "cannot be accessed";
        };
    }
}
