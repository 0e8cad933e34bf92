package dev.jsam.tensor.conformance;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Shared plumbing of the conformance suite: the backend under test (made once per class by
 * {@link #createBackend()}), the scalar reference it is compared with, and input helpers.
 * The suite only talks to the {@link Backend} interface, so any backend can subclass it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConformanceBase {
    protected final Backend ref = CpuBackend.reference();
    private Backend backend;

    /** The backend under test; created once per test class. */
    protected abstract Backend createBackend();

    protected final Backend backend() {
        if (backend == null) {
            backend = createBackend();
        }
        return backend;
    }

    @AfterAll
    void closeBackends() {
        if (backend != null) {
            backend.close();
        }
        ref.close();
    }

    protected Pair input(Pair.Variant v, long seed, float range, int... shape) {
        return Pair.input(backend(), ref, v, seed, range, shape);
    }

    protected Pair random(long seed, float range, int... shape) {
        return Pair.random(backend(), ref, seed, range, shape);
    }

    protected Pair of(float[] data, int... shape) {
        return Pair.of(backend(), ref, data, shape);
    }

    protected static void check(String what, Tensor got, Tensor want, Tolerance tol) {
        Compare.assertClose(what, got, want, tol);
    }
}
