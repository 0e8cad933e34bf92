package dev.jsam.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A command in a child process whose peak resident memory (VmHWM in /proc/PID/status, Linux only:
 * tests using it are skipped elsewhere) is sampled while it runs, for memory tests that need a
 * process of their own. Output goes to a log file.
 */
public final class ChildRun {
    private final Process process;
    private final Path log;
    private volatile long peakRss;

    private ChildRun(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the command; skips the calling test where /proc is missing. */
    public static ChildRun start(List<String> command, Path log) throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc to read a process's VmHWM");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ChildRun run = new ChildRun(p, log);
        Thread.ofVirtual().start(run::sample);
        return run;
    }

    private void sample() {
        Path status = Path.of("/proc/" + process.pid() + "/status");
        while (process.isAlive()) {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmHWM:")) {
                        peakRss = Math.max(peakRss, 1024 * Long.parseLong(line.replaceAll("[^0-9]", "")));
                    }
                }
                Thread.sleep(20);
            } catch (IOException | InterruptedException | RuntimeException gone) {
                return;
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for the child (killing it after the timeout, which then reads as -1) and gives its exit code. */
    public int exitCode(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            return -1;
        }
        return process.exitValue();
    }

    /** The peak resident memory seen, in bytes (VmHWM at the last sample before it ended). */
    public long peakRssBytes() {
        return peakRss;
    }

    /** Ends the child (SIGTERM, then SIGKILL after 10 s). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** What the child printed. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
