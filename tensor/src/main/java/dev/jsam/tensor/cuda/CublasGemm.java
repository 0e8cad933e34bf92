package dev.jsam.tensor.cuda;

import dev.jsam.tensor.Tensor;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

/**
 * cuBLAS SGEMM through JCublas2, on the backend's stream, default (full FP32, no TF32) math.
 * JCublas2's natives link libcublas.so.12; where that library does not load, {@link #open}
 * throws {@link CudaUnavailableException} naming it. {@link #run} takes a call only when one
 * batch stride per operand and a unit stride in one of each operand's two dims describe it;
 * otherwise the caller uses the sgemm_f32 kernel (also on the GPU).
 */
final class CublasGemm implements AutoCloseable {
    private final CudaContext context;
    private final cublasHandle handle;

    private CublasGemm(CudaContext context, cublasHandle handle) {
        this.context = context;
        this.handle = handle;
    }

    static CublasGemm open(CudaContext context) {
        try {
            JCublas2.setExceptionsEnabled(true);
            context.makeCurrent();
            cublasHandle h = new cublasHandle();
            JCublas2.cublasCreate(h);
            JCublas2.cublasSetStream(h, new cudaStream_t(context.stream()));
            return new CublasGemm(context, h);
        } catch (LinkageError | CudaException e) {
            throw new CudaUnavailableException("cuBLAS unavailable: JCublas2 12.0.0's natives need libcublas.so.12 "
                    + "(CUDA 12 runtime libraries on the library path); create the backend with GemmEngine.KERNEL to use "
                    + "jsam's own SGEMM, which needs only libcuda.so.1. Cause: " + CudaContext.summary(e), e);
        }
    }

    /** cuBLAS's view of one row-major operand: transpose flag and leading dim, or null when it does not fit. */
    private record Operand(int op, long ld) {
        /** The column-major matrix X^T (cols x rows) of a row-major (rows x cols) operand with these strides. */
        static Operand of(long rowStride, long colStride, int rows, int cols) {
            if (colStride == 1 && rowStride >= Math.max(1, cols)) {
                return new Operand(cublasOperation.CUBLAS_OP_N, Math.max(rowStride, 1));
            }
            if (rowStride == 1 && colStride >= Math.max(1, rows)) {
                return new Operand(cublasOperation.CUBLAS_OP_T, Math.max(colStride, 1));
            }
            return null;
        }
    }

    /**
     * Row-major out (m x n) = A B is column-major out^T = B^T A^T: cuBLAS gets B as its first
     * operand. Returns false, doing nothing, when the layout does not fit cuBLAS.
     */
    boolean run(GemmCall c, Tensor out) {
        long[] batch = Geometry.of(c.batchShape(), c.aBatch(), c.bBatch());
        if (batch[1] > 1 || c.m() == 0 || c.n() == 0 || c.k() == 0) {
            return false;
        }
        long strideA = batch[1] == 1 ? batch[2 + Geometry.MAX_RANK] : 0;
        long strideB = batch[1] == 1 ? batch[2 + 2 * Geometry.MAX_RANK] : 0;
        Operand first = Operand.of(c.bRow(), c.bCol(), c.k(), c.n());
        Operand second = Operand.of(c.aRow(), c.aCol(), c.m(), c.k());
        if (first == null || second == null || first.ld > Integer.MAX_VALUE || second.ld > Integer.MAX_VALUE) {
            return false;
        }
        CudaBackend be = (CudaBackend) out.backend();
        context.makeCurrent();
        JCublas2.cublasSgemmStridedBatched(handle, first.op, second.op, c.n(), c.m(), c.k(), Pointer.to(new float[] {1f}),
                be.pointer(c.b()), (int) first.ld, strideB, be.pointer(c.a()), (int) second.ld, strideA,
                Pointer.to(new float[] {0f}), be.pointer(out), c.n(), (long) c.m() * c.n(), (int) c.batchCount());
        return true;
    }

    @Override
    public void close() {
        context.makeCurrent();
        JCublas2.cublasDestroy(handle);
    }
}
