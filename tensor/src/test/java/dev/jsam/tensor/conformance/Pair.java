package dev.jsam.tensor.conformance;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;

import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The same values on the backend under test and on the reference, with the same view applied
 * to both, so a case states its input once. Values are uniform in [-range, range).
 */
record Pair(Tensor got, Tensor want) {

    static Pair random(Backend be, Backend ref, long seed, float range, int... shape) {
        Random r = new Random(seed);
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (r.nextFloat() * 2 - 1) * range;
        }
        return of(be, ref, data, shape);
    }

    static Pair of(Backend be, Backend ref, float[] data, int... shape) {
        return new Pair(Tensor.of(be, data, shape), Tensor.of(ref, data, shape));
    }

    Pair map(UnaryOperator<Tensor> view) {
        return new Pair(view.apply(got), view.apply(want));
    }

    /**
     * A random input of the given shape laid out as the variant says: contiguous, the transpose
     * of a contiguous tensor (last two dims), a narrowed slice of a wider one, all dims
     * reversed by a permute, or dim 0 broadcast from size 1 (stride 0).
     */
    static Pair input(Backend be, Backend ref, Variant v, long seed, float range, int... shape) {
        int r = shape.length;
        switch (v) {
            case TRANSPOSED -> {
                if (r >= 2) {
                    int[] s = shape.clone();
                    s[r - 1] = shape[r - 2];
                    s[r - 2] = shape[r - 1];
                    return random(be, ref, seed, range, s).map(t -> t.transpose(r - 2, r - 1));
                }
            }
            case NARROWED -> {
                if (r >= 1) {
                    int[] s = shape.clone();
                    s[r - 1] += 3;
                    return random(be, ref, seed, range, s).map(t -> t.narrow(r - 1, 1, shape[r - 1]));
                }
            }
            case PERMUTED -> {
                if (r >= 3) {
                    int[] s = new int[r];
                    int[] perm = new int[r];
                    for (int i = 0; i < r; i++) {
                        s[i] = shape[r - 1 - i];
                        perm[i] = r - 1 - i;
                    }
                    return random(be, ref, seed, range, s).map(t -> t.permute(perm));
                }
            }
            case BROADCAST -> {
                if (r >= 1) {
                    int[] s = shape.clone();
                    s[0] = 1;
                    return random(be, ref, seed, range, s).map(t -> t.expand(shape));
                }
            }
            case CONTIGUOUS -> {
            }
        }
        return random(be, ref, seed, range, shape);
    }

    enum Variant { CONTIGUOUS, TRANSPOSED, NARROWED, PERMUTED, BROADCAST }
}
