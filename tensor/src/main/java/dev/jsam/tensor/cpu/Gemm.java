package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM C = A B (+ bias per column, then ReLU/GELU) in the GotoBLAS/BLIS loop
 * order: NC columns of B, KC deep, packed once and shared; MC-row blocks of A packed per task;
 * an MR x NR register-tiled Vector API micro-kernel (MR = 5 rows, NR = 2 preferred vectors:
 * 5 x 16 on AVX2, 5 x 32 on AVX-512). C is a fresh row-major float[] region; A and B are read
 * through any strides (see {@link GemmOperand}). Not a BLAS: no alpha, no beta, no C views.
 */
final class Gemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 5;
    static final int NR = 2 * L;
    static final int KC = 256;
    static final int MC = MR * 16;
    static final int NC = NR * 192;

    private static final ThreadLocal<float[]> A_PACK = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private static final ThreadLocal<float[]> A_ROWS = ThreadLocal.withInitial(() -> new float[MR * KC]);
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(() -> new float[MR * NR]);

    private Gemm() {
    }

    /**
     * C[cOff + i * ldc + j] = act(sum_p A(i, p) B(p, j) + bias[j]) for i < m, j < n. bias may be
     * null. Runs on par's threads (serially when called from inside one of its tasks).
     */
    static void gemm(Parallel par, int m, int n, int k, GemmOperand a, GemmOperand b,
                     float[] c, int cOff, int ldc, float[] bias, Activation act) {
        if (m == 0 || n == 0) {
            return;
        }
        float[] init = new float[roundUp(n, NR)];
        if (bias != null) {
            System.arraycopy(bias, 0, init, 0, n);
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(init, 0, c, cOff + i * ldc, n);
                VecMath.activateInPlace(act, c, cOff + i * ldc, n);
            }
            return;
        }
        int ncMax = Math.min(NC, roundUp(n, NR));
        int kcMax = Math.min(KC, k);
        float[] bp = new float[ncMax * kcMax];
        int mBlocks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panels = (nc + NR - 1) / NR;
            int groups = Math.max(1, Math.min(panels, (4 * par.threads() + mBlocks - 1) / mBlocks));
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                Activation epilogue = pc + kc == k ? act : Activation.NONE;
                int p0 = pc, j0 = jc;
                par.forRange(panels, 8, (from, to) -> GemmPack.packB(b, p0, kc, j0, nc, from, to, bp));
                par.forRange(mBlocks * groups, 1, (from, to) -> {
                    float[] ap = A_PACK.get();
                    float[] rows = A_ROWS.get();
                    int packed = -1;
                    for (int w = from; w < to; w++) {
                        int blk = w / groups, g = w % groups;
                        int ic = blk * MC;
                        int mc = Math.min(MC, m - ic);
                        if (packed != blk) {
                            GemmPack.packA(a, ic, mc, p0, kc, ap, rows);
                            packed = blk;
                        }
                        int qFrom = (int) ((long) panels * g / groups);
                        int qTo = (int) ((long) panels * (g + 1) / groups);
                        macro(ap, bp, mc, nc, kc, qFrom, qTo, c, cOff + ic * ldc + j0, ldc, first, init, j0, epilogue);
                    }
                });
            }
        }
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Runs the micro-kernel over B panels [qFrom, qTo) and every MR-row panel of the packed A block. */
    private static void macro(float[] ap, float[] bp, int mc, int nc, int kc, int qFrom, int qTo,
                              float[] c, int cBase, int ldc, boolean first, float[] init, int j0, Activation act) {
        for (int q = qFrom; q < qTo; q++) {
            int jq = q * NR;
            int cols = Math.min(NR, nc - jq);
            int bOff = q * kc * NR;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int cOff = cBase + ir * ldc + jq;
                if (rows == MR && cols == NR) {
                    if (first) {
                        for (int r = 0; r < MR; r++) {
                            System.arraycopy(init, j0 + jq, c, cOff + r * ldc, NR);
                        }
                    }
                    kernel(ap, ir * kc, bp, bOff, kc, c, cOff, ldc);
                } else {
                    edge(ap, ir * kc, bp, bOff, kc, c, cOff, ldc, rows, cols, first, init, j0 + jq);
                }
                if (act != Activation.NONE) {
                    for (int r = 0; r < rows; r++) {
                        VecMath.activateInPlace(act, c, cOff + r * ldc, cols);
                    }
                }
            }
        }
    }

    /** A partial tile: runs the full kernel on a zero-padded MR x NR copy, then writes back rows x cols. */
    private static void edge(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc,
                             int rows, int cols, boolean first, float[] init, int initOff) {
        float[] tile = TILE.get();
        java.util.Arrays.fill(tile, 0f);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(first ? init : c, first ? initOff : cOff + r * ldc, tile, r * NR, cols);
        }
        kernel(ap, aOff, bp, bOff, kc, tile, 0, NR);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * NR, c, cOff + r * ldc, cols);
        }
    }

    /**
     * The 5 x (2 vectors) micro-kernel: 10 accumulators, B loaded as two vectors per k, A
     * broadcast per row, FMA, accumulating onto C (which the caller seeds with the bias).
     * Five rows, not six: with 12 accumulators, 2 B vectors and the broadcasts C2 schedules
     * ahead, a 6-row tile outgrew AVX2's 16 ymm registers and C2 kept one accumulator on the
     * stack (a load, FMA and store per k, seen in the JIT's assembly); with 10 nothing spills
     * and single-thread GEMM went from 0.80-0.84 to 0.86-0.94 of OpenBLAS (bench/README.md).
     * Also measured on Zen 1: running offsets and p * MR indexing run alike; unrolling k by 2
     * was ~35% slower.
     */
    private static void kernel(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, cOff);
        FloatVector c01 = FloatVector.fromArray(S, c, cOff + L);
        FloatVector c10 = FloatVector.fromArray(S, c, cOff + ldc);
        FloatVector c11 = FloatVector.fromArray(S, c, cOff + ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
        FloatVector c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
        FloatVector c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
        int ai = aOff, bi = bOff;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            ai += MR;
            bi += NR;
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
    }
}
