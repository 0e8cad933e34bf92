package dev.jsam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * An output folder that appears whole or not at all: files are written into a hidden partial
 * folder beside it ({@link Partials}), which is renamed to the target on {@link #commit()};
 * {@link #close()} without commit deletes it, and so does an interrupt. The target may be
 * missing, empty, or an earlier result of ours (it holds the marker file), which is then
 * replaced; anything else is refused, by {@link #check} before work starts.
 */
public final class OutputDir implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final String marker;
    private boolean committed;

    private OutputDir(Path target, Path staging, String marker) {
        this.target = target;
        this.staging = staging;
        this.marker = marker;
    }

    /**
     * Refuses a target we must not write (a file, a folder under a file, a folder holding something
     * other than an earlier result with the marker file); flag names the option for the message.
     */
    public static void check(String flag, Path target, String marker) throws IOException {
        Path abs = Inputs.outputPath(flag, target);
        if (Files.isDirectory(abs)) {
            try (Stream<Path> s = Files.list(abs)) {
                if (s.findAny().isPresent() && !Files.exists(abs.resolve(marker))) {
                    throw new UsageException(flag + " " + target + ": the folder is not empty and holds no earlier "
                            + marker + "; choose another " + flag);
                }
            }
        }
    }

    /** Checks the target, deletes partials of dead runs beside it and creates the partial folder. */
    public static OutputDir create(String flag, Path target, String marker) throws IOException {
        check(flag, target, marker);
        Path abs = target.toAbsolutePath().normalize();
        Files.createDirectories(abs.getParent());
        Partials.sweep(abs.getParent());
        return new OutputDir(abs, Partials.newFolder(abs), marker);
    }

    /** Where to write a file of the result. */
    public Path file(String name) {
        return staging.resolve(name);
    }

    /** Moves the finished result into place, replacing an earlier result of ours. */
    public void commit() throws IOException {
        if (!Files.exists(staging.resolve(marker))) {
            throw new IllegalStateException("result has no " + marker);
        }
        Partials.commitFolder(staging, target);
        committed = true;
    }

    public Path target() {
        return target;
    }

    @Override
    public void close() {
        if (!committed) {
            Partials.discard(staging);
        }
    }
}
