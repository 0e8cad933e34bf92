package dev.jsam.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parallel spreads a loop over all of its threads whoever calls it, except its own workers: each
 * chunk waits at a barrier of `threads` parties, which only that many distinct threads running at
 * once can pass (a loop run on one thread breaks the barrier by timeout).
 */
class ParallelTest {
    private static final int THREADS = 3;

    @Test
    void loopStartedInsideTheCommonPoolRunsOnEveryThread() throws Exception {
        try (Parallel par = new Parallel(THREADS)) {
            Set<Thread> ran = ForkJoinPool.commonPool().submit(() -> runBarrierLoop(par)).get(30, TimeUnit.SECONDS);
            assertEquals(THREADS, ran.size(), "threads that ran chunks: " + ran);
            assertTrue(ran.stream().noneMatch(t -> t.getName().contains("commonPool")), "ran on " + ran);
        }
    }

    @Test
    void loopStartedByAPlainThreadRunsOnEveryThread() {
        try (Parallel par = new Parallel(THREADS)) {
            assertEquals(THREADS, runBarrierLoop(par).size());
        }
    }

    @Test
    void loopStartedByItsOwnWorkerRunsInline() throws Exception {
        try (Parallel par = new Parallel(THREADS)) {
            Set<Thread> inner = ConcurrentHashMap.newKeySet();
            Set<Thread> outer = ConcurrentHashMap.newKeySet();
            par.forRange(THREADS, 1, (from, to) -> {
                outer.add(Thread.currentThread());
                par.forRange(1000, 1, (f, t) -> inner.add(Thread.currentThread()));
                assertTrue(inner.contains(Thread.currentThread()));
            });
            assertEquals(outer, inner, "a nested loop stays on the worker that started it");
        }
    }

    /** Runs 4 x THREADS chunks that each wait for THREADS - 1 others; returns the threads that ran them. */
    private static Set<Thread> runBarrierLoop(Parallel par) {
        CyclicBarrier barrier = new CyclicBarrier(THREADS);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        par.forRange(4 * THREADS, 1, (from, to) -> {
            ran.add(Thread.currentThread());
            try {
                barrier.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new AssertionError("fewer than " + THREADS + " threads ran the loop at once", e);
            }
        });
        return ran;
    }
}
