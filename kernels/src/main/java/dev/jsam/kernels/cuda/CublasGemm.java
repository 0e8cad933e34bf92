package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLAS SGEMM on the backend's stream at default math (full fp32, no TF32), bound with the
 * JDK's foreign-function API. The four entry points jsam calls (cublasCreate_v2,
 * cublasSetStream_v2, cublasSgemmStridedBatched, cublasDestroy_v2) have the same C signatures
 * in cuBLAS 12 and 13, so this loads whichever the machine has: the file named by the system
 * property jsam.cublas, else libcublas.so.13, else libcublas.so.12, through the dynamic linker's
 * search path (LD_LIBRARY_PATH, ldconfig). JCublas2 12.0.0 is not used: its natives link
 * libcublas.so.12 only, which CUDA 13 machines lack. {@link #run} takes a call only when one
 * batch stride per operand and a unit stride in one of each operand's two dims describe it;
 * otherwise the caller uses the sgemm_f32 kernel (also on the GPU).
 */
final class CublasGemm implements AutoCloseable {
    private static final int OP_N = 0;
    private static final int OP_T = 1;
    private static final List<String> LIBRARIES = List.of("libcublas.so.13", "libcublas.so.12");

    private final CudaContext context;
    private final Arena arena;
    private final MemorySegment handle;
    private final MemorySegment one;
    private final MemorySegment zero;
    private final MethodHandle sgemmStridedBatched;
    private final MethodHandle destroy;

    private CublasGemm(CudaContext context, Arena arena, MemorySegment handle, MethodHandle sgemm, MethodHandle destroy) {
        this.context = context;
        this.arena = arena;
        this.handle = handle;
        this.sgemmStridedBatched = sgemm;
        this.destroy = destroy;
        this.one = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 1f);
        this.zero = arena.allocateFrom(ValueLayout.JAVA_FLOAT, 0f);
    }

    /** A cuBLAS handle on the context's stream, or CudaUnavailableException naming what did not load. */
    static CublasGemm open(CudaContext context) {
        Arena arena = Arena.ofShared();
        try {
            Lookup found = lookup(arena);
            Linker linker = Linker.nativeLinker();
            MethodHandle create = linker.downcallHandle(found.symbol("cublasCreate_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            MethodHandle setStream = linker.downcallHandle(found.symbol("cublasSetStream_v2"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            MethodHandle sgemm = linker.downcallHandle(found.symbol("cublasSgemmStridedBatched"), FunctionDescriptor.of(JAVA_INT,
                    ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG,
                    ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT));
            MethodHandle destroy = linker.downcallHandle(found.symbol("cublasDestroy_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
            context.makeCurrent();
            MemorySegment slot = arena.allocate(ADDRESS);
            check(found.name, "cublasCreate_v2", (int) create.invokeExact(slot));
            MemorySegment h = slot.get(ADDRESS, 0);
            check(found.name, "cublasSetStream_v2",
                    (int) setStream.invokeExact(h, MemorySegment.ofAddress(NativeAddress.of(context.stream()))));
            return new CublasGemm(context, arena, h, sgemm, destroy);
        } catch (Throwable e) {
            arena.close();
            if (e instanceof CudaUnavailableException u) {
                throw u;
            }
            throw new CudaUnavailableException("cuBLAS unavailable: " + e, e);
        }
    }

    private record Lookup(String name, SymbolLookup symbols) {
        MemorySegment symbol(String entry) {
            return symbols.find(entry).orElseThrow(() -> new CudaUnavailableException(
                    "cuBLAS unavailable: " + name + " has no symbol " + entry));
        }
    }

    private static Lookup lookup(Arena arena) {
        String explicit = System.getProperty("jsam.cublas");
        List<String> names = explicit != null ? List.of(explicit) : LIBRARIES;
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                return new Lookup(name, SymbolLookup.libraryLookup(name, arena));
            } catch (IllegalArgumentException e) {
                failures.add(name + ": " + e.getMessage());
            }
        }
        throw new CudaUnavailableException("cuBLAS unavailable: none of " + names + " could be loaded "
                + (explicit != null ? "(from -Djsam.cublas)" : "(put the directory of CUDA's libcublas on LD_LIBRARY_PATH, "
                + "or name the file with -Djsam.cublas=PATH)") + "; create the backend with GemmEngine.KERNEL to use jsam's "
                + "own SGEMM, which needs only libcuda.so.1. Tried: " + String.join("; ", failures));
    }

    private static void check(String library, String call, int status) {
        if (status != 0) {
            throw new CudaUnavailableException("cuBLAS (" + library + "): " + call + " returned status " + status);
        }
    }

    /** cuBLAS's view of one row-major operand: transpose flag and leading dim, or null when it does not fit. */
    private record Operand(int op, long ld) {
        /** The column-major matrix X^T (cols x rows) of a row-major (rows x cols) operand with these strides. */
        static Operand of(long rowStride, long colStride, int rows, int cols) {
            if (colStride == 1 && rowStride >= Math.max(1, cols)) {
                return new Operand(OP_N, Math.max(rowStride, 1));
            }
            if (rowStride == 1 && colStride >= Math.max(1, rows)) {
                return new Operand(OP_T, Math.max(colStride, 1));
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
        int status;
        try {
            status = (int) sgemmStridedBatched.invokeExact(handle, first.op, second.op, c.n(), c.m(), c.k(), one,
                    device(be, c.b()), (int) first.ld, strideB, device(be, c.a()), (int) second.ld, strideA,
                    zero, device(be, out), c.n(), (long) c.m() * c.n(), (int) c.batchCount());
        } catch (Throwable e) {
            throw new IllegalStateException("cublasSgemmStridedBatched failed to run", e);
        }
        if (status != 0) {
            throw new IllegalStateException("cublasSgemmStridedBatched returned status " + status + " for " + c.m() + "x"
                    + c.n() + "x" + c.k() + " x" + c.batchCount());
        }
        return true;
    }

    private static MemorySegment device(CudaBackend be, Tensor t) {
        return MemorySegment.ofAddress(NativeAddress.of(be.pointer(t)));
    }

    @Override
    public void close() {
        context.makeCurrent();
        try {
            int status = (int) destroy.invokeExact(handle);
            if (status != 0) {
                throw new IllegalStateException("cublasDestroy_v2 returned status " + status);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cublasDestroy_v2 failed to run", e);
        } finally {
            arena.close();
        }
    }
}
