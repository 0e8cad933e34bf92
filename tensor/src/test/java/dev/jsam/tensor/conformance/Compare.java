package dev.jsam.tensor.conformance;

import dev.jsam.tensor.Tensor;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Element-by-element comparison of a backend's result against the reference under a
 * {@link Tolerance}; on failure the message lists the max difference and the worst elements.
 * NaN must meet NaN and infinities must match exactly.
 */
public final class Compare {
    private Compare() {
    }

    static void assertClose(String what, Tensor got, Tensor want, Tolerance tol) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        assertClose(what, got.toFloatArray(), want.toFloatArray(), want.shape(), tol);
    }

    /** The same on plain arrays holding a result of the given shape, for kernels driven directly. */
    public static void assertClose(String what, float[] g, float[] w, int[] shape, Tolerance tol) {
        double maxAbs = 0;
        for (float v : w) {
            if (Float.isFinite(v)) {
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
        }
        double[] excess = new double[w.length];
        int bad = 0;
        double maxDiff = 0;
        for (int i = 0; i < w.length; i++) {
            double d = diff(g[i], w[i]);
            maxDiff = Math.max(maxDiff, d);
            double bound = tol.rel() * Math.abs(w[i]) + tol.ofMax() * maxAbs + tol.floor();
            excess[i] = d > bound ? d / Math.max(bound, Double.MIN_VALUE) : 0;
            if (d > bound) {
                bad++;
            }
        }
        if (bad == 0) {
            return;
        }
        int[] worst = IntStream.range(0, w.length).boxed()
                .sorted((x, y) -> Double.compare(excess[y], excess[x]))
                .limit(8).mapToInt(Integer::intValue).toArray();
        StringBuilder sb = new StringBuilder();
        sb.append(what).append(": ").append(bad).append(" of ").append(w.length).append(" elements outside ")
                .append(tol.name()).append(" (").append(tol.source()).append("), max |diff| ").append(maxDiff)
                .append(", max |want| ").append(maxAbs).append(", shape ").append(Arrays.toString(shape));
        for (int i : worst) {
            if (excess[i] > 0) {
                sb.append("\n  [").append(i).append("] got ").append(g[i]).append(" want ").append(w[i])
                        .append(" diff ").append(diff(g[i], w[i]));
            }
        }
        fail(sb.toString());
    }

    private static double diff(float g, float w) {
        if (Float.isNaN(w) || Float.isNaN(g)) {
            return Float.isNaN(w) && Float.isNaN(g) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Float.isInfinite(w) || Float.isInfinite(g)) {
            return g == w ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs((double) g - w);
    }
}
