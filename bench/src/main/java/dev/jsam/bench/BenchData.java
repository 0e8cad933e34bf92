package dev.jsam.bench;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;

import java.util.SplittableRandom;

/** Random F32 tensors for the benchmarks (uniform in [-1, 1), fixed seed). Not a benchmark itself. */
final class BenchData {
    private BenchData() {
    }

    static Tensor random(Backend be, long seed, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] v = new float[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(be, v, shape);
    }
}
