package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;

/**
 * One batched GEMM as the kernels see it: out[b] (m x n, contiguous) = act(A[b] x B[b] + bias)
 * where A[b] element (i, p) is at a + aBatch(b) + i*aRow + p*aCol, and likewise for B. The
 * batch is a shape with per-operand strides (0 where broadcast). biasMode is 0 (none), 1 (per
 * column) or 2 (per row), as gemm.cu's BIAS_* constants.
 */
record GemmCall(Tensor a, long aRow, long aCol, Tensor b, long bRow, long bCol, int m, int n, int k,
                int[] batchShape, long[] aBatch, long[] bBatch, Tensor bias, int biasMode, Activation act) {
    static final int BIAS_NONE = 0;
    static final int BIAS_COL = 1;
    static final int BIAS_ROW = 2;

    long batchCount() {
        long c = 1;
        for (int d : batchShape) {
            c *= d;
        }
        return c;
    }

    /** The GemmArgs struct of gemm.cu: m, n, k, aRow, aCol, bRow, bCol, then biasMode and act as two ints. */
    long[] argsStruct() {
        return new long[] {m, n, k, aRow, aCol, bRow, bCol, (biasMode & 0xffffffffL) | ((long) act.ordinal() << 32)};
    }
}
