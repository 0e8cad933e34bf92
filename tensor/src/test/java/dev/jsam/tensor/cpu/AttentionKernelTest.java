package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.conformance.Compare;
import dev.jsam.tensor.conformance.Tolerance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fused attention on every GEMM tile of {@link Gemm#TILES}, each forced whatever the host's vectors
 * (a species wider than the hardware runs emulated), against the scalar reference under the
 * conformance suite's attention tolerance: query counts around the tile's width (fewer take the
 * query-rows kernel), key counts around its rows and key blocks, head dims off the tile's rows,
 * rel-pos grids whose rows straddle a key block, inputs contiguous, row-padded and permuted, one and
 * two threads (bit-identical), large scores, and a NaN key that must reach every query's output.
 * The kernels keep their buffers per thread from call to call without clearing them, so every
 * case also runs right after a call on larger shapes and all-NaN inputs left those buffers full
 * of NaN.
 */
class AttentionKernelTest {
    static Stream<GemmKernel> tiles() {
        return Gemm.TILES.stream();
    }

    /** How an input's elements lie in memory. */
    enum View { CONTIGUOUS, ROW_PADDED, PERMUTED }

    @ParameterizedTest
    @MethodSource("tiles")
    void matchesTheReferenceAroundTheTilesEdges(GemmKernel t) {
        int kb = t.mr * ((256 + t.mr - 1) / t.mr);
        int[][] cases = { // b, nq, d, dv, kh, kw (kh = 0: no rel pos, nk = kw)
            {2, t.nr, 16, 64, 0, t.mr - 1}, {1, t.nr + 1, 17, t.mr + 3, 3, 5}, {2, 2 * t.nr + 5, 64, 64, 7, 7},
            {1, t.nr - 1, 32, 16, 0, kb + 1}, {1, 3 * t.nr + 2, 24, 5, 16, 17}, {3, t.nr + 7, 8, 9, 0, 2 * kb + 3},
            {1, 7, 16, 16, 0, 300}, {2, t.nr, 64, 64, 14, 14},
        };
        int run = 0;
        for (int[] c : cases) {
            for (View view : View.values()) {
                check(t, c, view, 1 + run++ % 2, 1f);
            }
        }
        check(t, new int[] {1, 2 * t.nr + 3, 16, 16, 0, 300}, View.CONTIGUOUS, 2, 6f);
    }

    @ParameterizedTest
    @MethodSource("tiles")
    void scratchLeftFullOfNanByAnEarlierCallDoesNotLeak(GemmKernel t) {
        int kb = t.mr * ((256 + t.mr - 1) / t.mr);
        int[][] cases = {
            {1, t.nr + 1, 17, t.mr + 3, 3, 5}, {2, 2 * t.nr + 5, 64, 64, 7, 7}, {1, t.nr - 1, 32, 16, 0, kb + 1},
            {1, 3 * t.nr + 2, 24, 5, 16, 17}, {1, 7, 16, 16, 0, 300}, {2, 5, 19, 7, 4, 9},
        };
        for (int[] c : cases) {
            check(t, c, View.CONTIGUOUS, 1, 1f, true);
        }
    }

    @ParameterizedTest
    @MethodSource("tiles")
    void aNanKeyReachesEveryQuery(GemmKernel t) {
        int b = 1, nq = t.nr + 3, d = 16, nk = 40;
        float[] k = values(2, b * nk * d, 1f);
        k[11 * d + 5] = Float.NaN;
        try (CpuBackend be = CpuBackend.create(1)) {
            float[] got = Attention.attention(t, be, Tensor.of(be, values(1, b * nq * d, 1f), b, nq, d),
                    Tensor.of(be, k, b, nk, d), Tensor.of(be, values(3, b * nk * d, 1f), b, nk, d), 0.25f, null, null)
                    .toFloatArray();
            for (float v : got) {
                assertTrue(Float.isNaN(v), "tile " + t + ": a NaN score must make every output NaN");
            }
        }
    }

    private static void check(GemmKernel t, int[] c, View view, int threads, float range) {
        check(t, c, view, threads, range, false);
    }

    /**
     * With dirty, first runs both kernels on this thread (one thread: the caller's) on shapes
     * larger than any case in every dimension with all-NaN inputs, so that every buffer they keep
     * holds NaN, and asserts that those calls did give NaN.
     */
    private static void check(GemmKernel t, int[] c, View view, int threads, float range, boolean dirty) {
        int b = c[0], nq = c[1], d = c[2], dv = c[3], kh = c[4], kw = c[5];
        int nk = kh == 0 ? kw : kh * kw;
        float scale = (float) (1 / Math.sqrt(d));
        String what = "tile " + t + ", b nq d dv kh kw " + Arrays.toString(c) + ", " + view + ", " + threads + " threads";
        try (CpuBackend be = CpuBackend.create(threads); CpuBackend other = CpuBackend.create(3 - threads);
             CpuBackend ref = CpuBackend.reference()) {
            float[][] data = {values(11, b * nq * d, range), values(12, b * nk * d, range), values(13, b * nk * dv, 1f),
                              values(14, b * nq * kh, 2f), values(15, b * nq * kw, 2f)};
            int[][] shapes = {{b, nq, d}, {b, nk, d}, {b, nk, dv}, {b, nq, kh}, {b, nq, kw}};
            if (dirty) {
                dirty(t, be);
            }
            float[] got = run(t, be, data, shapes, view, kh > 0, scale);
            float[] want = ref.attention(in(ref, data[0], shapes[0], view), in(ref, data[1], shapes[1], view),
                    in(ref, data[2], shapes[2], view), scale, kh > 0 ? in(ref, data[3], shapes[3], view) : null,
                    kh > 0 ? in(ref, data[4], shapes[4], view) : null).toFloatArray();
            Compare.assertClose(what, got, want, new int[] {b, nq, dv}, Tolerance.attention(d, nk));
            assertArrayEquals(got, run(t, other, data, shapes, view, kh > 0, scale), what + ": thread count changed the bits");
        }
    }

    private static void dirty(GemmKernel t, CpuBackend be) {
        for (int nq : new int[] {t.nr - 1, 4 * t.nr + 1}) {
            int b = 2, d = 72, dv = 71, kh = 20, kw = 31, nk = kh * kw;
            float[] q = nan(b * nq * d), k = nan(b * nk * d), v = nan(b * nk * dv), rh = nan(b * nq * kh), rw = nan(b * nq * kw);
            float[] out = Attention.attention(t, be, Tensor.of(be, q, b, nq, d), Tensor.of(be, k, b, nk, d),
                    Tensor.of(be, v, b, nk, dv), 0.1f, Tensor.of(be, rh, b, nq, kh), Tensor.of(be, rw, b, nq, kw)).toFloatArray();
            for (float x : out) {
                assertTrue(Float.isNaN(x), "the dirtying call must give NaN");
            }
        }
    }

    private static float[] nan(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    private static float[] run(GemmKernel t, CpuBackend be, float[][] data, int[][] shapes, View view, boolean bias,
                               float scale) {
        return Attention.attention(t, be, in(be, data[0], shapes[0], view), in(be, data[1], shapes[1], view),
                in(be, data[2], shapes[2], view), scale, bias ? in(be, data[3], shapes[3], view) : null,
                bias ? in(be, data[4], shapes[4], view) : null).toFloatArray();
    }

    /** The (a, b, c) tensor of values laid out as the view says (the same elements whatever the view). */
    private static Tensor in(CpuBackend be, float[] v, int[] s, View view) {
        UnaryOperator<Tensor> same = x -> x;
        return switch (view) {
            case CONTIGUOUS -> same.apply(Tensor.of(be, v, s));
            case ROW_PADDED -> {
                float[] wide = new float[s[0] * s[1] * (s[2] + 3)];
                for (int r = 0; r < s[0] * s[1]; r++) {
                    System.arraycopy(v, r * s[2], wide, r * (s[2] + 3) + 1, s[2]);
                }
                yield Tensor.of(be, wide, s[0], s[1], s[2] + 3).narrow(2, 1, s[2]);
            }
            case PERMUTED -> {
                float[] p = new float[v.length];
                for (int i = 0; i < s[0]; i++) {
                    for (int j = 0; j < s[1]; j++) {
                        for (int k = 0; k < s[2]; k++) {
                            p[(k * s[1] + j) * s[0] + i] = v[(i * s[1] + j) * s[2] + k];
                        }
                    }
                }
                yield Tensor.of(be, p, s[2], s[1], s[0]).permute(2, 1, 0);
            }
        };
    }

    private static float[] values(long seed, int n, float range) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextFloat() * 2 - 1) * range;
        }
        return v;
    }
}
