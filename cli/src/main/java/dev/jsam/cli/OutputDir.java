package dev.jsam.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output folder that appears whole or not at all: files are written into a hidden sibling
 * folder, which is renamed to the target on {@link #commit()}; {@link #close()} without commit
 * deletes it. The target may be missing, empty, or an earlier result of ours (it holds the
 * marker file), which is then replaced; anything else is refused before work starts.
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

    /** Checks the target and creates the staging folder; marker names the file that marks our results. */
    public static OutputDir create(Path target, String marker) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new UsageException("output " + target + " exists and is not a directory");
            }
            try (Stream<Path> s = Files.list(abs)) {
                if (s.findAny().isPresent() && !Files.exists(abs.resolve(marker))) {
                    throw new UsageException("output directory " + target + " is not empty and holds no earlier "
                            + marker + "; choose another --out");
                }
            }
        }
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + abs.getFileName() + ".partial-");
        return new OutputDir(abs, staging, marker);
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
        if (Files.exists(target)) {
            Path old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
            Files.delete(old);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } else {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        }
        committed = true;
    }

    public Path target() {
        return target;
    }

    @Override
    public void close() {
        if (!committed) {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
