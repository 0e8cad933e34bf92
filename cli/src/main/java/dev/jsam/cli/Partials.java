package dev.jsam.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hidden work in progress beside an output: `.NAME.partial-PID-START-RANDOM`, PID and START (the
 * process's start time) naming the process that writes it. A shutdown hook deletes this process's
 * partials when it is interrupted (Ctrl-C, kill); {@link #sweep} lets a later run delete those of
 * processes that are gone (kill -9, a crash). Created with the umask's permissions, like every
 * file the command line writes. Not for outputs of other tools: only names of this form are touched.
 */
final class Partials {
    private static final Pattern NAME = Pattern.compile("\\..+\\.partial-(\\d+)-([0-9a-z]+)-[0-9a-f]+(-gone)?");
    private static final String STAMP = ProcessHandle.current().pid() + "-" + startStamp(ProcessHandle.current());
    private static final Set<Path> LIVE = new HashSet<>();
    private static boolean hookInstalled;
    private static boolean shuttingDown;

    private Partials() {
    }

    /** Creates an empty folder beside target to write it in. */
    static Path newFolder(Path target) throws IOException {
        return create(target, true);
    }

    /** Creates an empty file beside target to write it in. */
    static Path newFile(Path target) throws IOException {
        return create(target, false);
    }

    /** A fresh partial name beside target, registered but not created (somewhere to move target aside). */
    static synchronized Path reserve(Path target) {
        checkRunning();
        Path p = target.resolveSibling("." + target.getFileName() + ".partial-" + STAMP + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        LIVE.add(p);
        return p;
    }

    /**
     * Moves a finished partial over target and forgets it. While this runs the shutdown hook waits,
     * so an interrupt leaves either the finished target or no trace.
     */
    static synchronized void commit(Path partial, Path target) throws IOException {
        checkRunning();
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        LIVE.remove(partial);
    }

    /** Replaces the folder target with the finished folder partial (the old one moved aside, then deleted). */
    static synchronized void commitFolder(Path partial, Path target) throws IOException {
        checkRunning();
        if (Files.exists(target)) {
            Path old = reserve(target);
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            commit(partial, target);
            discard(old);
        } else {
            commit(partial, target);
        }
    }

    /** Deletes a partial (file or folder) and forgets it. */
    static synchronized void discard(Path partial) {
        deleteTree(partial);
        LIVE.remove(partial);
    }

    /** Deletes the partials in folder left by processes that are no longer running. */
    static void sweep(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.toList()) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && !running(Long.parseLong(m.group(1)), m.group(2))) {
                    deleteTree(p);
                }
            }
        }
    }

    private static Path create(Path target, boolean folder) throws IOException {
        while (true) {
            Path p = reserve(target);
            try {
                return folder ? Files.createDirectory(p) : Files.createFile(p);
            } catch (FileAlreadyExistsException taken) {
                forget(p);
            } catch (IOException | RuntimeException e) {
                forget(p);
                throw e;
            }
        }
    }

    private static synchronized void forget(Path p) {
        LIVE.remove(p);
    }

    private static void checkRunning() {
        if (shuttingDown) {
            throw new IllegalStateException("interrupted: not writing any more output");
        }
        if (!hookInstalled) {
            Runtime.getRuntime().addShutdownHook(new Thread(Partials::deleteAllOnExit, "jsam-partials"));
            hookInstalled = true;
        }
    }

    /**
     * The shutdown hook: renames each partial first (a writer still running then cannot add to it),
     * then deletes it.
     */
    private static synchronized void deleteAllOnExit() {
        shuttingDown = true;
        for (Path p : LIVE) {
            Path gone = p.resolveSibling(p.getFileName() + "-gone");
            try {
                Files.move(p, gone, StandardCopyOption.ATOMIC_MOVE);
                deleteTree(gone);
            } catch (NoSuchFileException notCreated) {
                // reserved but never created, or already moved into place
            } catch (IOException | UncheckedIOException e) {
                deleteTree(p);
            }
        }
        LIVE.clear();
    }

    private static boolean running(long pid, String stamp) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        return h.isPresent() && h.get().isAlive() && (stamp.equals("0") || stamp.equals(startStamp(h.get())));
    }

    /** The process's start time in milliseconds (base 36), or 0 where the OS does not say. */
    private static String startStamp(ProcessHandle h) {
        return h.info().startInstant().map(t -> Long.toString(t.toEpochMilli(), 36)).orElse("0");
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
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
