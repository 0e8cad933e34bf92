package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Explicit tensor lifetimes on the CPU backend: what a scope keeps survives with its values,
 * what it does not fails loudly afterwards (views too, and never by reading reused memory),
 * scopes nest and hand kept tensors outward, take and detach move ownership, the released
 * buffers are really handed out again within a call (the same array behind a later result), the
 * pool stays within its limit and is emptied when the last running call's outermost scope closes.
 */
class TensorScopeTest {
    private static final int N = 64 * 64; // one pooled size: 16 KB

    private static Tensor ramp(CpuBackend be, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return Tensor.of(be, v, n);
    }

    /** The array behind a tensor, to check identity of reused buffers. */
    private static Object base(CpuBackend be, Tensor t) {
        return be.segment(t).heapBase().orElseThrow();
    }

    @Test
    void keptTensorsSurviveWithTheirValuesAndTheRestFailLoudly() {
        try (CpuBackend be = CpuBackend.create(2)) {
            Tensor x = ramp(be, N);
            Tensor kept, dropped, view;
            try (TensorScope s = be.scope()) {
                Tensor y = x.mul(2f);
                dropped = y.add(1f);
                view = dropped.reshape(64, 64).narrow(0, 3, 2);
                kept = s.keep(y.add(3f));
            }
            float[] k = kept.toFloatArray();
            for (int i = 0; i < N; i++) {
                assertEquals(2f * i + 3f, k[i]);
            }
            assertFalse(kept.isReleased());
            assertTrue(dropped.isReleased());
            assertTrue(view.isReleased());
            IllegalStateException e = assertThrows(IllegalStateException.class, dropped::toFloatArray);
            assertTrue(e.getMessage().contains("after its TensorScope closed"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertThrows(IllegalStateException.class, view::toFloatArray);          // a view made before the close
            assertThrows(IllegalStateException.class, () -> dropped.reshape(64, 64)); // a view made after
            assertThrows(IllegalStateException.class, () -> view.add(kept.narrow(0, 0, 64)));
            assertThrows(IllegalStateException.class, () -> kept.add(dropped));
            assertEquals(0f, x.toFloatArray()[0]); // a tensor made outside any scope is the collector's
        }
    }

    @Test
    void nestedScopesHandKeptTensorsOutwardOneLevelAtATime() {
        try (CpuBackend be = CpuBackend.create(1)) {
            Tensor x = ramp(be, N);
            Tensor inner, outerOnly;
            try (TensorScope outer = be.scope()) {
                try (TensorScope s = be.scope()) {
                    inner = s.keep(x.add(1f));
                    outerOnly = x.add(2f);
                    assertThrows(IllegalStateException.class, outer::close, "outer closed before inner");
                }
                assertFalse(inner.isReleased());
                assertTrue(outerOnly.isReleased());
                assertEquals(1f, inner.toFloatArray()[0]);
            }
            assertTrue(inner.isReleased(), "kept by the inner scope only: the outer one released it");
        }
    }

    @Test
    void takeMovesAnEnclosingScopesTensorInAndDetachHandsOneToTheCollector() {
        try (CpuBackend be = CpuBackend.create(1)) {
            Tensor x = ramp(be, N);
            Tensor prev, cached, result;
            try (TensorScope outer = be.scope()) {
                prev = x.add(1f);
                cached = x.add(5f);
                try (TensorScope s = be.scope()) {
                    s.take(prev);
                    s.take(x); // the collector's: left alone
                    result = s.keep(prev.mul(2f));
                    TensorScope.detach(cached); // owned by the outer scope: detached all the same
                }
                assertTrue(prev.isReleased(), "taken into the inner scope and not kept");
                assertFalse(result.isReleased());
            }
            assertTrue(result.isReleased());
            assertFalse(cached.isReleased());
            assertEquals(5f, cached.toFloatArray()[0]);
            assertEquals(0f, x.toFloatArray()[0]);
        }
    }

    @Test
    void releasedBuffersAreHandedOutAgainWithinACall() {
        try (CpuBackend be = CpuBackend.create(1)) {
            Tensor x = ramp(be, N);
            try (TensorScope call = be.scope()) {
                Object first;
                try (TensorScope s = be.scope()) {
                    first = base(be, x.mul(3f));
                }
                long reuses = be.poolReuses();
                long allocated = be.poolAllocatedBytes();
                assertEquals(4L * N, be.pooledBytes());
                try (TensorScope s = be.scope()) {
                    Tensor y = x.add(7f);
                    assertTrue(first == base(be, y), "the released array behind the next result of its size");
                    assertEquals(reuses + 1, be.poolReuses());
                    assertEquals(allocated, be.poolAllocatedBytes(), "nothing new allocated");
                    assertEquals(7f, y.toFloatArray()[0]); // reused memory, new values
                    assertEquals(0, be.pooledBytes());
                }
                // the kernels' scratch too: the conv's im2col columns and its GEMM's packed B block
                // (48 x 256 rounded up to the tile's width, over the pool's minimum) come from the pool and go back
                Tensor img = Tensor.full(be, 1f, 1, 3, 64, 64); // columns: 48 x 256 floats
                Tensor w = Tensor.full(be, 1f, 8, 3, 4, 4);
                long before = be.poolReuses();
                for (int i = 0; i < 3; i++) {
                    assertEquals(48f, be.conv2d(img, w, null, 4, 4, 0, 0).toFloatArray()[5]);
                }
                assertEquals(before + 4, be.poolReuses());
                assertTrue(be.pooledBytes() > 0);
            }
            assertEquals(0, be.pooledBytes(), "the call's outermost scope closed: nothing stays pooled");
        }
    }

    @Test
    void aResultMayTakeAPooledArrayUpToAQuarterLonger() {
        try (CpuBackend be = CpuBackend.create(1); TensorScope call = be.scope()) {
            Tensor x5 = ramp(be, 5 * N), x4 = ramp(be, 4 * N), x3 = ramp(be, 3 * N); // inputs first: they take arrays too
            Object released;
            try (TensorScope s = be.scope()) {
                released = base(be, x5.mul(2f)); // 5N floats back to the pool
            }
            try (TensorScope s = be.scope()) {
                Tensor y = x4.add(1f); // 4N: the 5N array is a quarter longer
                assertTrue(released == base(be, y), "the longer array serves the shorter result");
                assertEquals(4L * 4 * N, be.segment(y).byteSize(), "the tensor sees only its own floats");
                float[] v = y.toFloatArray();
                assertEquals(4 * N, v.length);
                assertEquals(1f, v[0]);
                assertEquals(4 * N, v[4 * N - 1]);
            }
            try (TensorScope s = be.scope()) {
                // row kernels count rows from the tensor, not from the (longer) array
                Tensor p = x4.reshape(4 * N / 64, 64).softmax();
                assertTrue(released == base(be, p));
                float[] rows = p.toFloatArray();
                for (int r = 0; r < 4 * N / 64; r++) {
                    double sum = 0;
                    for (int i = 0; i < 64; i++) {
                        sum += rows[r * 64 + i];
                    }
                    assertEquals(1.0, sum, 1e-5, "row " + r);
                }
            }
            try (TensorScope s = be.scope()) {
                Tensor z = x3.add(1f); // 3N: 5N is more than a quarter longer
                assertFalse(released == base(be, z), "no array more than a quarter longer");
            }
        }
    }

    @Test
    void thePoolIsEmptiedOnlyWhenNoThreadsCallIsRunning() throws Exception {
        try (CpuBackend be = CpuBackend.create(1)) {
            Tensor x = ramp(be, N);
            CountDownLatch otherOpen = new CountDownLatch(1);
            CountDownLatch mineDone = new CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> {
                try (TensorScope call = be.scope()) {
                    x.add(1f);
                    otherOpen.countDown();
                    mineDone.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            otherOpen.await();
            try (TensorScope call = be.scope()) {
                x.mul(2f);
            }
            assertEquals(4L * N, be.pooledBytes(), "another thread's call still runs: my released buffer stays pooled");
            mineDone.countDown();
            other.join();
            assertEquals(0, be.pooledBytes(), "the last running call ended");
            try (TensorScope call = be.scope()) {
                x.mul(2f);
                try (TensorScope inner = be.scope()) {
                    x.mul(3f);
                }
                assertEquals(4L * N, be.pooledBytes(), "an inner scope's close does not end the call");
            }
            assertEquals(0, be.pooledBytes());
        }
    }

    @Test
    void thePoolStaysWithinItsLimit() {
        try (CpuBackend be = CpuBackend.create(1)) {
            int big = Math.toIntExact(be.poolLimitBytes() / 4 / 3 + 1); // three of these pass the limit
            Tensor x = Tensor.full(be, 1f, big);
            try (TensorScope call = be.scope()) {
                try (TensorScope s = be.scope()) {
                    x.add(1f);
                    x.add(2f);
                    x.add(3f);
                }
                assertTrue(be.pooledBytes() <= be.poolLimitBytes(), be.pooledBytes() + " > " + be.poolLimitBytes());
                assertEquals(2L * 4 * big, be.pooledBytes());
                assertEquals(1, be.poolDropped());
                be.trimPool();
                assertEquals(0, be.pooledBytes());
            }
        }
    }

    @Test
    void aScopeIsConfinedToItsThreadAndOtherThreadsResultsAreNotInIt() throws Exception {
        try (CpuBackend be = CpuBackend.create(1)) {
            Tensor x = ramp(be, N);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Tensor> fromOther = new AtomicReference<>();
            try (TensorScope s = be.scope()) {
                Thread t = Thread.ofPlatform().start(() -> {
                    fromOther.set(x.add(1f));
                    try {
                        s.keep(x);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                t.join();
            }
            assertTrue(failure.get() instanceof IllegalStateException);
            assertFalse(fromOther.get().isReleased());
        }
    }

    @Test
    void userMemoryIsNeverReleasedByAScope() {
        try (CpuBackend be = CpuBackend.create(1)) {
            float[] v = new float[N];
            v[1] = 4f;
            Tensor host;
            try (TensorScope s = be.scope()) {
                host = be.wrapHost(dev.jsam.tensor.DType.F32, MemorySegment.ofArray(v), N);
                assertNotEquals(0, host.add(1f).numel());
            }
            assertFalse(host.isReleased());
            assertArrayEquals(v, host.toFloatArray());
        }
    }
}
