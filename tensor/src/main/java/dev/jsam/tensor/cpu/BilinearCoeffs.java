package dev.jsam.tensor.cpu;

import dev.jsam.tensor.cpu.ref.RefResample;

/**
 * The reference's linear-resize coefficients along one axis, computed once per resize: for each
 * output index the two source indices i0, i1 and their weights w0, w1
 * ({@link RefResample#coefficients}). Shared by {@link Resample} and {@link PlaneResampler} so both
 * compute the same floats. Immutable once built.
 */
record BilinearCoeffs(int[] i0, int[] i1, float[] w0, float[] w1) {
    static BilinearCoeffs of(int in, int out) {
        BilinearCoeffs c = new BilinearCoeffs(new int[out], new int[out], new float[out], new float[out]);
        int[] idx = new int[2];
        float[] wts = new float[2];
        for (int d = 0; d < out; d++) {
            RefResample.coefficients(in, out, d, idx, wts);
            c.i0[d] = idx[0];
            c.i1[d] = idx[1];
            c.w0[d] = wts[0];
            c.w1[d] = wts[1];
        }
        return c;
    }
}
