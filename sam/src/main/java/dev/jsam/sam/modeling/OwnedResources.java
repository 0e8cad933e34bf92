package dev.jsam.sam.modeling;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a loaded {@link Sam} releases when it is closed (the mapping's arena, a backend it opened,
 * a temporary converted file), released in reverse order of acquisition: the mapping goes before
 * the file under it is deleted. Every release runs even when an earlier one fails. Not
 * thread-safe; Sam closes it under its own lock.
 */
final class OwnedResources {
    /** One thing to release. */
    @FunctionalInterface
    interface Release {
        void run() throws IOException;
    }

    private final Deque<Release> releases = new ArrayDeque<>();

    void add(Release r) {
        releases.push(r);
    }

    /** Releases everything; the first failure is thrown after the rest ran, later ones suppressed. */
    void close() {
        Exception first = releaseAll();
        if (first instanceof IOException io) {
            throw new UncheckedIOException(io);
        }
        if (first instanceof RuntimeException r) {
            throw r;
        }
    }

    /** Releases everything after a failed load, adding any failure to the load's exception. */
    void closeAfter(Throwable failure) {
        Exception e = releaseAll();
        if (e != null) {
            failure.addSuppressed(e);
        }
    }

    private Exception releaseAll() {
        Exception first = null;
        while (!releases.isEmpty()) {
            try {
                releases.pop().run();
            } catch (IOException | RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        return first;
    }
}
