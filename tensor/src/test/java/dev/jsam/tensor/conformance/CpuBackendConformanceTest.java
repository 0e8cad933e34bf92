package dev.jsam.tensor.conformance;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Nested;

/**
 * The conformance suite for the fast CPU backend on two threads (the parallel paths) and, in
 * the nested class, on one thread (the serial paths and their block edges).
 */
class CpuBackendConformanceTest extends BackendConformanceTest {
    @Override
    protected Backend createBackend() {
        return CpuBackend.create(2);
    }

    @Nested
    class SingleThread extends BackendConformanceTest {
        @Override
        protected Backend createBackend() {
            return CpuBackend.create(1);
        }
    }
}
