package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.conformance.Compare;
import dev.jsam.tensor.conformance.Tolerance;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Gemm driven directly, for what the Backend-level suite cannot reach: K = 0 (C is just the
 * epilogue of the bias), stride-0 operands, a C region inside a larger array, K crossing
 * several KC blocks with the fused bias and ReLU. Checked against double-precision loops within
 * the conformance suite's GEMM tolerance. Every tile, forced, is in GemmTileTest.
 */
class GemmTest {
    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    @Test
    void emptyKGivesTheActivatedBias() {
        float[] bias = {-1f, 0.5f, 2f};
        float[] c = new float[2 * 3];
        try (Parallel par = new Parallel(2)) {
            GemmOperand none = new GemmOperand(MemorySegment.ofArray(new float[0]), 0, 0, 0);
            Gemm.gemm(par, new BufferPool(1 << 20, Long.MAX_VALUE), 2, 3, 0, none, none, c, 0, 3, bias, Activation.RELU);
        }
        assertEquals(0f, c[0]);
        assertEquals(0.5f, c[1]);
        assertEquals(2f, c[5]);
    }

    @Test
    void broadcastOperandsAndOffsetOutputWithBiasAndRelu() {
        int m = 13, n = 37, k = Gemm.TILE.kc * 2 + 5;
        float[] aRow = random(k, 1);
        float[] b = random(k * n, 2);
        float[] bias = random(n, 3);
        int ldc = n + 4, cOff = 7;
        float[] c = new float[cOff + m * ldc];
        GemmOperand a = new GemmOperand(MemorySegment.ofArray(aRow), 0, 0, 1);
        GemmOperand bt = new GemmOperand(MemorySegment.ofArray(b), 0, 1, k);
        try (Parallel par = new Parallel(2)) {
            Gemm.gemm(par, new BufferPool(1 << 20, Long.MAX_VALUE), m, n, k, a, bt, c, cOff, ldc, bias, Activation.RELU);
        }
        float[] got = new float[m * n];
        float[] want = new float[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(c, cOff + i * ldc, got, i * n, n);
            for (int j = 0; j < n; j++) {
                double acc = bias[j];
                for (int p = 0; p < k; p++) {
                    acc += (double) aRow[p] * b[j * k + p];
                }
                want[i * n + j] = (float) Math.max(acc, 0);
            }
            assertEquals(0f, c[cOff + i * ldc + n], "padding between rows stays untouched");
        }
        Compare.assertClose("broadcast A, transposed B, bias, ReLU", got, want, new int[] {m, n}, Tolerance.gemm(k));
    }
}
