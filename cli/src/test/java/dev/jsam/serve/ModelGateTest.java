package dev.jsam.serve;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model gate: serial, no two calls overlap however many threads arrive; open, they run at
 * once; either way a call's result and exception come through.
 */
class ModelGateTest {
    /** The most calls inside the gate at the same moment when 8 threads each make 20 short calls. */
    private static int mostAtOnce(ModelGate gate) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                all.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        gate.run(() -> {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.sleep(1);
                            return inside.decrementAndGet();
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return most.get();
    }

    @Test
    void aSerialGateLetsOneCallInAtATime() throws Exception {
        assertEquals(1, mostAtOnce(new ModelGate(true)));
    }

    @Test
    void anOpenGateLetsCallsOverlap() throws Exception {
        assertTrue(mostAtOnce(new ModelGate(false)) > 1);
    }

    @Test
    void resultsAndExceptionsComeThrough() {
        ModelGate gate = new ModelGate(true);
        assertEquals(42, gate.run(() -> 42));
        assertThrows(IOException.class, () -> gate.run(() -> {
            throw new IOException("decode failed");
        }));
        assertEquals(7, gate.run(() -> 7), "the lock is released after an exception");
    }
}
