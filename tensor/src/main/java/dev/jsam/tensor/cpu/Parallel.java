package dev.jsam.tensor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * A tiny parallel-for over an index range on a fixed number of threads (its own ForkJoinPool).
 * The range is cut into contiguous chunks (a few per thread for balance); small ranges run on the
 * caller's thread, and so does a loop started by one of this pool's own workers (a kernel inside a
 * kernel). A caller from any other pool (the common pool of a parallel stream, a server's
 * executor) gets all the threads. Thread-safe: loops from several threads share the pool.
 */
public final class Parallel implements AutoCloseable {
    /** Body of a parallel loop: handles indices [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    public int threads() {
        return threads;
    }

    /** Runs body over [0, n) in chunks of at least minChunk indices. */
    public void forRange(int n, int minChunk, Range body) {
        if (n <= 0) {
            return;
        }
        int chunks = Math.min(threads * 4, Math.max(1, n / Math.max(1, minChunk)));
        if (pool == null || chunks == 1 || isOwnWorker()) {
            body.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks.add(pool.submit(() -> body.run(from, to)));
        }
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    /** Whether the calling thread is one of this pool's workers (waiting on its own pool would starve it). */
    private boolean isOwnWorker() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
