package dev.jsam.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The tile for 512-bit vectors (AVX-512: thirty-two zmm registers): 8 rows x 3 vectors (8 x 48
 * floats), 24 accumulators, 3 B vectors and the A broadcasts in the remaining registers; C2 keeps
 * all 24 in zmm0-zmm24 with no spill (its assembly, bench/README.md). Per k: 24 FMAs for 3 loads and
 * 8 broadcasts. Chosen on a Zen 4 EPYC against 5, 8, 10, 12 and 14 rows x 2 vectors, 4 x 3 and 6 x 4
 * (single thread, GFLOP per CPU-second): 8 x 3 and 6 x 4 led, 12 x 2 close behind, 5 x 2 (the
 * AVX2 tile at 512 bits) 10% slower, 14 x 2 at 0.6 of 8 x 3. KC = 768 (C passed once for
 * vit_b's K = 768) ran 5-8% faster than 256; MC and NC changed little.
 */
final class GemmKernel8x3 extends GemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int L = S.length();
    private static final int MR = 8;
    private static final int NR = 3 * L;

    GemmKernel8x3() {
        super("8x3", S, MR, NR, 768, MR * 16, NR * 64);
    }

    @Override
    void run(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, cOff);
        FloatVector c01 = FloatVector.fromArray(S, c, cOff + L);
        FloatVector c02 = FloatVector.fromArray(S, c, cOff + 2 * L);
        FloatVector c10 = FloatVector.fromArray(S, c, cOff + ldc);
        FloatVector c11 = FloatVector.fromArray(S, c, cOff + ldc + L);
        FloatVector c12 = FloatVector.fromArray(S, c, cOff + ldc + 2 * L);
        FloatVector c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
        FloatVector c22 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L);
        FloatVector c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
        FloatVector c32 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L);
        FloatVector c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
        FloatVector c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
        FloatVector c42 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L);
        FloatVector c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
        FloatVector c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
        FloatVector c52 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * L);
        FloatVector c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc);
        FloatVector c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + L);
        FloatVector c62 = FloatVector.fromArray(S, c, cOff + 6 * ldc + 2 * L);
        FloatVector c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc);
        FloatVector c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + L);
        FloatVector c72 = FloatVector.fromArray(S, c, cOff + 7 * ldc + 2 * L);
        int ai = aOff, bi = bOff;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40);
            c41 = a4.fma(b1, c41);
            c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = a5.fma(b0, c50);
            c51 = a5.fma(b1, c51);
            c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = a6.fma(b0, c60);
            c61 = a6.fma(b1, c61);
            c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = a7.fma(b0, c70);
            c71 = a7.fma(b1, c71);
            c72 = a7.fma(b2, c72);
            ai += MR;
            bi += NR;
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c02.intoArray(c, cOff + 2 * L);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + L);
        c12.intoArray(c, cOff + ldc + 2 * L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c22.intoArray(c, cOff + 2 * ldc + 2 * L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c32.intoArray(c, cOff + 3 * ldc + 2 * L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c42.intoArray(c, cOff + 4 * ldc + 2 * L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c52.intoArray(c, cOff + 5 * ldc + 2 * L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c62.intoArray(c, cOff + 6 * ldc + 2 * L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
        c72.intoArray(c, cOff + 7 * ldc + 2 * L);
    }
}
