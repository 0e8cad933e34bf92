package dev.jsam.cli;

import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on the paths a command line names, made before any work starts, so that a missing file,
 * a folder where a file belongs or an output under a file is one line naming the option and the
 * path (a usage error, exit code 2) rather than an I/O error halfway through.
 */
final class Inputs {
    private Inputs() {
    }

    /** An existing, readable regular file. */
    static Path file(String flag, String value) {
        Path p = Path.of(value);
        if (Files.isDirectory(p)) {
            throw new UsageException(flag + " " + value + ": is a folder, not a file");
        }
        if (!Files.exists(p)) {
            throw new UsageException(flag + " " + value + ": no such file");
        }
        if (!Files.isRegularFile(p)) {
            throw new UsageException(flag + " " + value + ": not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new UsageException(flag + " " + value + ": cannot be read (permission denied)");
        }
        return p;
    }

    /** The image a flag names, decoded; a file that is not a readable image is a usage error. */
    static RgbImage image(String flag, String value, ExifOrientation orientation) {
        return readImage(flag, value, p -> Images.read(p, orientation));
    }

    /** What decoding the image a flag names will take, from its header; a file that is not an image is a usage error. */
    static ImageHeader imageHeader(String flag, String value, ExifOrientation orientation) {
        return readImage(flag, value, p -> Images.header(p, orientation));
    }

    /** A read of an image file. */
    private interface ImageRead<T> {
        T read(Path file) throws IOException;
    }

    private static <T> T readImage(String flag, String value, ImageRead<T> read) {
        Path p = file(flag, value);
        try {
            return read.read(p);
        } catch (IOException e) {
            throw new UsageException(named(flag, value, e.getMessage()));
        }
    }

    /** "FLAG VALUE: problem", without repeating the path when the message already starts with it. */
    static String named(String flag, String value, String message) {
        return message != null && message.startsWith(value) ? flag + " " + message : flag + " " + value + ": " + message;
    }

    /**
     * The absolute path of an output folder, refused when it is a file, lies under a file, or
     * would be created in a folder this process cannot write.
     */
    static Path outputPath(String flag, Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new UsageException(flag + " " + target + ": is a file, not a folder");
        }
        checkParents(flag, target, abs);
        return abs;
    }

    /** Like {@link #outputPath}, for a folder written into as it is (an existing one must be writable). */
    static Path outputFolder(String flag, Path target) {
        Path abs = outputPath(flag, target);
        if (Files.isDirectory(abs) && !Files.isWritable(abs)) {
            throw new UsageException(flag + " " + target + ": cannot write in it (permission denied)");
        }
        return abs;
    }

    /** The absolute path of an output file: not a folder, not under a file, in a writable folder. */
    static Path outputFile(String flag, Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new UsageException(flag + " " + target + ": is a folder; give a file name");
        }
        checkParents(flag, target, abs);
        return abs;
    }

    private static void checkParents(String flag, Path target, Path abs) {
        Path p = abs.getParent();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return;
        }
        if (!Files.isDirectory(p)) {
            throw new UsageException(flag + " " + target + ": " + p + " is a file, not a folder");
        }
        if (!Files.isWritable(p)) {
            throw new UsageException(flag + " " + target + ": cannot write in " + p + " (permission denied)");
        }
    }
}
