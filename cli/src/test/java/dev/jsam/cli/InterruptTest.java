package dev.jsam.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Interrupted runs leave no hidden partial folder: `sam predict` in a child JVM is stopped while
 * its output is being written; a kill the JVM sees (SIGTERM, the same hook as Ctrl-C's SIGINT)
 * cleans up at once, a kill -9 leaves the partial for the next run in that folder to remove.
 * Partials of a process still running are never removed.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void terminatedRunRemovesItsPartialFolder() throws Exception {
        stopPredictWhileWriting(tmp.resolve("out"), false);
        assertEquals(List.of(), partials(tmp), "the shutdown hook removes the partial folder");
        assertFalse(Files.exists(tmp.resolve("out")), "no output from an interrupted run");
    }

    @Test
    void partialOfAKilledRunIsRemovedByTheNextRun() throws Exception {
        stopPredictWhileWriting(tmp.resolve("dog"), true);
        assertEquals(1, partials(tmp).size(), "kill -9 runs no hook: the partial stays for the next run");

        SamCliTest.Run r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", SamCliTest.dog(),
                "--output", tmp.toString(), "--points-per-side", "2", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), partials(tmp), "the next run removes partials of dead processes");
        assertTrue(Files.isRegularFile(tmp.resolve("dog/metadata.csv")));
    }

    @Test
    void partialsOfARunningProcessAreKept() throws Exception {
        Path mine = Partials.newFolder(tmp.resolve("busy"));
        try {
            Partials.sweep(tmp);
            assertTrue(Files.isDirectory(mine), "a live process's partial is not swept");
        } finally {
            Partials.discard(mine);
        }
        assertFalse(Files.exists(mine));
    }

    /** Starts `sam predict` in a child JVM and kills it (-9 if forcibly, else SIGTERM) once its partial exists. */
    private void stopPredictWhileWriting(Path out, boolean forcibly) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "predict", "--checkpoint",
                SamCliTest.checkpoint(), "--image", SamCliTest.dog(), "--point", "500,375", "--threads", "1",
                "--out", out.toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        awaitPartial(p);
        if (forcibly) {
            p.destroyForcibly();
        } else {
            p.destroy();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not stop");
    }

    /** Waits until the child has created its partial output folder. */
    private void awaitPartial(Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (partials(tmp).isEmpty()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                fail("the child ended or stalled before writing: " + Files.readString(tmp.resolve("child.log")));
            }
            Thread.sleep(10);
        }
    }

    private static List<Path> partials(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(f -> f.getFileName().toString().contains(".partial-")).toList();
        }
    }
}
