package dev.jsam.kernels.cuda;

import java.util.Arrays;

/**
 * Packs the `Geometry` struct of jsam_common.cuh: an iteration over a row-major shape with the
 * element strides of up to three operands. Size-1 dims are dropped and dims that are contiguous
 * in every operand are merged first, so most tensors reach the kernel as rank 1 or 2.
 */
final class Geometry {
    static final int MAX_RANK = 8;
    static final int OPERANDS = 3;
    /** n, rank, shape[8], stride[3][8]. */
    static final int WORDS = 2 + MAX_RANK + OPERANDS * MAX_RANK;

    private Geometry() {
    }

    /** The struct words for iterating shape with the given per-operand strides (one array each). */
    static long[] of(int[] shape, long[]... strides) {
        if (strides.length > OPERANDS) {
            throw new IllegalArgumentException(strides.length + " operands, at most " + OPERANDS);
        }
        int r = shape.length;
        long[] dims = new long[r];
        long[][] st = new long[strides.length][r];
        int n = 0;
        for (int d = 0; d < r; d++) {
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = n > 0;
            for (int k = 0; k < strides.length && merge; k++) {
                merge = st[k][n - 1] == strides[k][d] * shape[d];
            }
            if (merge) {
                dims[n - 1] *= shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][n - 1] = strides[k][d];
                }
            } else {
                dims[n] = shape[d];
                for (int k = 0; k < strides.length; k++) {
                    st[k][n] = strides[k][d];
                }
                n++;
            }
        }
        if (n > MAX_RANK) {
            throw new IllegalArgumentException("CUDA kernels iterate at most " + MAX_RANK + " non-mergeable dims, got shape "
                    + Arrays.toString(shape));
        }
        long[] words = new long[WORDS];
        long total = 1;
        for (int d : shape) {
            total *= d;
        }
        words[0] = total;
        words[1] = n;
        for (int d = 0; d < MAX_RANK; d++) {
            words[2 + d] = d < n ? dims[d] : 1;
        }
        for (int k = 0; k < strides.length; k++) {
            System.arraycopy(st[k], 0, words, 2 + MAX_RANK + k * MAX_RANK, n);
        }
        return words;
    }
}
