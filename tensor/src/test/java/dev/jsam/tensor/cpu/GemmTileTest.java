package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.conformance.Compare;
import dev.jsam.tensor.conformance.Tolerance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every GEMM register tile in {@link Gemm#TILES}, each forced whatever the host's vectors (a
 * species wider than the hardware runs emulated: slow, but the same arithmetic), on sizes just
 * around its MR, NR, KC, MC and NC edges; A row-major, transposed, row-padded and broadcast (row
 * stride 0); B stored (N, K) like a weight, row-major, padded and broadcast; C inside a larger
 * array; with and without bias; ReLU and GELU; one and two threads. Two oracles: the conformance
 * suite's GEMM tolerance against double-precision sums, and bit-identity with the same sum done
 * in scalar Math.fma (bias, then k in order), the order every tile keeps. The packed B block
 * comes from a pool uncleared: each call that packs enough to pool gets one left full of NaN.
 */
class GemmTileTest {
    static Stream<GemmKernel> tiles() {
        return Gemm.TILES.stream();
    }

    /** How an operand's elements lie in its array. */
    enum Form { ROW_MAJOR, TRANSPOSED, PADDED, BROADCAST }

    /** A rows x cols operand of the given form over fresh random values in [-1, 1). */
    private record Operand(Form form, float[] data, GemmOperand op) {
        static Operand of(Form form, int rows, int cols, long seed) {
            int pad = 5, off = 3;
            return switch (form) {
                case ROW_MAJOR -> make(form, rows * cols, 0, cols, 1, seed);
                case TRANSPOSED -> make(form, rows * cols, 0, 1, rows, seed);
                case PADDED -> make(form, off + rows * (cols + pad), off, cols + pad, 1, seed);
                case BROADCAST -> make(form, cols, 0, 0, 1, seed);
            };
        }

        private static Operand make(Form form, int size, long off, long rs, long cs, long seed) {
            Random r = new Random(seed);
            float[] data = new float[size];
            for (int i = 0; i < size; i++) {
                data[i] = r.nextFloat() * 2 - 1;
            }
            return new Operand(form, data, new GemmOperand(MemorySegment.ofArray(data), off, rs, cs));
        }

        float at(int i, int j) {
            return data[(int) (op.off() + i * op.rs() + j * op.cs())];
        }
    }

    /** m, n, k around the tile's edges: partial tiles, several KC blocks, MC and NC blocks. */
    private static int[][] sizes(GemmKernel t) {
        return new int[][] {
            {1, 1, 1}, {t.mr - 1, t.nr - 1, 7}, {t.mr, t.nr, 0}, {t.mr + 1, t.nr + 3, t.kc + 5},
            {2 * t.mr + 3, 2 * t.nr + 5, 2 * t.kc + 3}, {t.mc + 3, t.nr + 1, 33}, {3, t.nc + 7, 5},
        };
    }

    @ParameterizedTest
    @MethodSource("tiles")
    void everyLayoutBiasAndActivationMatchTheOracles(GemmKernel t) {
        Activation[] acts = Activation.values(); // cycles with bias on/off and 1/2 threads through all pairs
        int run = 0;
        for (int[] s : sizes(t)) {
            for (Form fa : Form.values()) {
                for (Form fb : Form.values()) {
                    if (fa != Form.ROW_MAJOR && fb != Form.TRANSPOSED) {
                        continue; // each A form with B as a weight, each B form with A row-major
                    }
                    run++;
                    check(t, s[0], s[1], s[2], fa, fb, run % 2 == 0, acts[run % acts.length], 1 + run / 6 % 2);
                }
            }
        }
    }

    @Test
    void theHostsTileIsTheWidestItsVectorsAllow() {
        assertEquals("8x3", Gemm.selectTile(null, 512).name);
        assertEquals("8x3", Gemm.selectTile(null, 1024).name);
        assertEquals("5x2", Gemm.selectTile(null, 256).name);
        assertEquals("5x2", Gemm.selectTile(null, 128).name);
        assertEquals("8x3", Gemm.selectTile("8x3", 128).name, "a named tile is used on any host");
        assertEquals(512, Gemm.selectTile("8x3", 128).species.vectorBitSize());
        assertTrue(Gemm.selectTile("5x2", 512).species.vectorBitSize() <= 256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gemm.selectTile("6x6", 512));
        assertTrue(e.getMessage().contains("5x2") && e.getMessage().contains("8x3"), e.getMessage());
    }

    @Test
    void narrowProductsTakeANarrowerNativeTile() {
        for (int n : new int[] {1, 14, 64, 256, 768, 2304, 3072}) {
            GemmKernel t = Gemm.tileFor(n);
            assertTrue(t.species.vectorBitSize() <= Math.max(Gemm.TILE.species.vectorBitSize(),
                    jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize()), n + ": " + t);
            assertTrue(Gemm.roundUp(n, t.nr) <= Gemm.roundUp(n, Gemm.TILE.nr), n + ": " + t + " pads more than " + Gemm.TILE);
        }
        assertEquals(Gemm.TILE, Gemm.tileFor(768));
        if (Gemm.TILE.name.equals("8x3") && System.getProperty("jsam.gemm.tile") == null) {
            assertEquals("5x2", Gemm.tileFor(14).name, "14 columns: 16 wide, not 48");
            assertEquals("5x2", Gemm.tileFor(64).name, "64 columns: 64 wide, not 96");
            assertEquals("8x3", Gemm.tileFor(256).name, "256 columns: 288 is within 5/4 of 256");
        }
    }

    private static void check(GemmKernel t, int m, int n, int k, Form fa, Form fb, boolean withBias,
                              Activation act, int threads) {
        Operand a = Operand.of(fa, m, k, 10L * m + k);
        Operand b = Operand.of(fb, k, n, 20L * n + k);
        float[] bias = withBias ? Operand.of(Form.ROW_MAJOR, 1, n, 30L + n).data : null;
        int ldc = n + 2, cOff = 5;
        float[] c = new float[cOff + m * ldc + 4];
        java.util.Arrays.fill(c, Float.NaN);
        BufferPool pool = new BufferPool(1L << 30, Long.MAX_VALUE);
        int packedB = Math.min(t.nc, Gemm.roundUp(n, t.nr)) * Math.min(t.kc, k);
        boolean dirty = k > 0 && packedB >= BufferPool.MIN_FLOATS;
        if (dirty) {
            float[] nan = new float[packedB];
            java.util.Arrays.fill(nan, Float.NaN);
            pool.give(nan);
        }
        try (Parallel par = new Parallel(threads)) {
            Gemm.gemm(t, par, pool, m, n, k, a.op, b.op, c, cOff, ldc, bias, act);
        }
        assertEquals(dirty ? 1 : 0, pool.reuses(), "the packed B block comes from the pool");
        String what = "tile " + t + ", " + m + "x" + n + "x" + k + ", A " + fa + ", B " + fb
                + ", bias " + withBias + ", " + act + ", " + threads + " threads";
        float[] got = new float[m * n];
        float[] fma = new float[m * n];
        float[] exact = new float[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(c, cOff + i * ldc, got, i * n, n);
            for (int j = 0; j < n; j++) {
                float f = withBias ? bias[j] : 0f;
                double d = withBias ? bias[j] : 0;
                for (int p = 0; p < k; p++) {
                    f = Math.fma(a.at(i, p), b.at(p, j), f);
                    d += (double) a.at(i, p) * b.at(p, j);
                }
                fma[i * n + j] = f;
                exact[i * n + j] = act.op() == null ? (float) d : act.op().reference((float) d);
            }
            VecMath.activateInPlace(act, fma, i * n, n);
        }
        Compare.assertClose(what, got, exact, new int[] {m, n},
                act == Activation.GELU ? Tolerance.gemmGelu(k) : Tolerance.gemm(k));
        assertArrayEquals(fma, got, what + ": not bit-identical to bias + Math.fma over k in order");
        for (int i = 0; i < m; i++) {
            for (int x = cOff + i * ldc + n; x < cOff + (i + 1) * ldc; x++) {
                assertTrue(Float.isNaN(c[x]), what + ": wrote between C's rows at " + x);
            }
        }
        assertTrue(Float.isNaN(c[cOff - 1]) && Float.isNaN(c[c.length - 1]), what + ": wrote outside C");
    }
}
