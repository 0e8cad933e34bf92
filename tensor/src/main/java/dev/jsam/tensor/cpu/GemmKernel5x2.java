package dev.jsam.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tile for 256-bit vectors (AVX2: sixteen ymm registers), or for the preferred species
 * where that is narrower (5 x 8 floats on 128-bit NEON/SSE): 5 rows x 2 vectors, 10 accumulators,
 * B loaded as two vectors per k, A broadcast per row. Five rows, not six: with 12 accumulators, 2
 * B vectors and the broadcasts C2 schedules ahead, a 6-row tile outgrew the 16 registers and C2
 * kept one accumulator on the stack (a load, FMA and store per k, seen in the JIT's assembly);
 * with 10 nothing spills and single-thread GEMM went from 0.80-0.84 to 0.91-0.93 of OpenBLAS on
 * Zen 1 (bench/README.md). Also measured there: running offsets and p * MR indexing run alike;
 * unrolling k by 2 was ~35% slower; KC in {192, 256, 320} and MC in {80, 120, 160} within 5%.
 */
final class GemmKernel5x2 extends GemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.vectorBitSize() <= 256
            ? FloatVector.SPECIES_PREFERRED : FloatVector.SPECIES_256;
    private static final int L = S.length();
    private static final int MR = 5;
    private static final int NR = 2 * L;

    GemmKernel5x2() {
        super("5x2", S, MR, NR, 256, MR * 16, NR * 192);
    }

    @Override
    void run(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc) {
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
