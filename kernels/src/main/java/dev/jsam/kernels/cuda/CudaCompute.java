package dev.jsam.kernels.cuda;

import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.DimSplit;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.ReduceOp;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.UnaryOp;

import static dev.jsam.kernels.cuda.CudaBackend.fence;
import static dev.jsam.kernels.cuda.CudaBackend.requireF32;

/**
 * The F32 compute ops of the CUDA backend that are not GEMMs: elementwise (strided and
 * broadcast inputs read in place), reductions, argmax, softmax, the two layer norms and the
 * resizes. Kernels that need dense rows get a contiguous copy of a strided input first.
 */
final class CudaCompute {
    private static final int BLOCK = 256;

    private final CudaBackend be;

    CudaCompute(CudaBackend be) {
        this.be = be;
    }

    private KernelArgs args() {
        return new KernelArgs();
    }

    private void launch1d(String kernel, long n, KernelArgs a) {
        be.device().launch(kernel, be.device().gridFor(n, BLOCK), 1, 1, BLOCK, 0, a);
    }

    Tensor unary(UnaryOp op, Tensor x) {
        requireF32(x);
        Tensor out = be.allocate(DType.F32, x.shape());
        if (x.numel() == 0) {
            return out;
        }
        if (x.isContiguous()) {
            launch1d("unary_dense_f32", x.numel(), args().ptr(be.pointer(out)).ptr(be.pointer(x)).i32(op.ordinal()).i64(x.numel()));
        } else {
            long[] g = Geometry.of(x.shape(), Layout.rowMajorStrides(x.shape()), x.layout().strides());
            launch1d("unary_f32", x.numel(), args().ptr(be.pointer(out)).ptr(be.pointer(x)).i32(op.ordinal()).struct(g));
        }
        return fence(out, x);
    }

    Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        requireF32(a);
        requireF32(b);
        int[] shape = Layout.broadcastShapes(a.shape(), b.shape());
        Tensor out = be.allocate(DType.F32, shape);
        long n = out.numel();
        if (n == 0) {
            return out;
        }
        Tensor ea = a.expand(shape), eb = b.expand(shape);
        if (ea.isContiguous() && eb.isContiguous()) {
            launch1d("binary_dense_f32", n, args().ptr(be.pointer(out)).ptr(be.pointer(ea)).ptr(be.pointer(eb))
                    .i32(op.ordinal()).i64(n));
        } else {
            long[] g = Geometry.of(shape, Layout.rowMajorStrides(shape), ea.layout().strides(), eb.layout().strides());
            launch1d("binary_f32", n, args().ptr(be.pointer(out)).ptr(be.pointer(ea)).ptr(be.pointer(eb)).i32(op.ordinal())
                    .struct(g));
        }
        return fence(out, a, b);
    }

    Tensor binary(BinaryOp op, Tensor a, float s) {
        requireF32(a);
        Tensor out = be.allocate(DType.F32, a.shape());
        if (a.numel() > 0) {
            long[] g = Geometry.of(a.shape(), Layout.rowMajorStrides(a.shape()), a.layout().strides());
            launch1d("binary_scalar_f32", a.numel(), args().ptr(be.pointer(out)).ptr(be.pointer(a)).f32(s).i32(op.ordinal())
                    .struct(g));
        }
        return fence(out, a);
    }

    Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim) {
        return alongDim("reduce_f32", DType.F32, op, x, dim, keepDim);
    }

    Tensor argmax(Tensor x, int dim, boolean keepDim) {
        return alongDim("argmax_f32", DType.I64, null, x, dim, keepDim);
    }

    /** One thread per (outer, inner) output over the contiguous (outer, n, inner) view; op is passed when not null. */
    private Tensor alongDim(String kernel, DType outType, ReduceOp op, Tensor x, int dim, boolean keepDim) {
        requireF32(x);
        int d = x.layout().axis(dim);
        Tensor c = be.contiguous(x);
        DimSplit s = DimSplit.of(x.shape(), d);
        Tensor out = be.allocate(outType, DimSplit.reducedShape(x.shape(), d, keepDim));
        long outputs = (long) s.outer() * s.inner();
        if (outputs > 0) {
            KernelArgs a = args().ptr(be.pointer(out)).ptr(be.pointer(c));
            if (op != null) {
                a.i32(op.ordinal());
            }
            be.device().launch(kernel, (int) ((outputs + 7) / 8), 1, 1, BLOCK, 0, a.i64(s.outer()).i64(s.n()).i64(s.inner()));
        }
        return fence(out, c, x);
    }

    Tensor softmax(Tensor x) {
        requireF32(x);
        Tensor c = be.contiguous(x);
        int n = x.rank() == 0 ? 1 : x.dim(-1);
        long rows = n == 0 ? 0 : x.numel() / n;
        Tensor out = be.allocate(DType.F32, x.shape());
        if (rows > 0) {
            be.device().launch("softmax_f32", Math.toIntExact(rows), 1, 1, BLOCK, 0,
                    args().ptr(be.pointer(out)).ptr(be.pointer(c)).i64(rows).i64(n));
        }
        return fence(out, c, x);
    }

    private static void checkNormParams(int c, Tensor weight, Tensor bias) {
        if (weight.rank() != 1 || weight.dim(0) != c || bias.rank() != 1 || bias.dim(0) != c) {
            throw new IllegalArgumentException("norm over " + c + " channels got weight " + weight + " and bias " + bias);
        }
    }

    Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        requireF32(x);
        int c = x.dim(-1);
        checkNormParams(c, weight, bias);
        Tensor xc = be.contiguous(x), w = be.contiguous(weight), b = be.contiguous(bias);
        long rows = c == 0 ? 0 : x.numel() / c;
        Tensor out = be.allocate(DType.F32, x.shape());
        if (rows > 0) {
            be.device().launch("layernorm_f32", Math.toIntExact(rows), 1, 1, BLOCK, 0, args().ptr(be.pointer(out))
                    .ptr(be.pointer(xc)).ptr(be.pointer(w)).ptr(be.pointer(b)).i64(rows).i32(c).f32(eps));
        }
        return fence(out, xc, w, b, x, weight, bias);
    }

    Tensor layerNorm2d(Tensor x, Tensor weight, Tensor bias, float eps) {
        requireF32(x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("layerNorm2d wants (N, C, H, W), got " + x);
        }
        int c = x.dim(1);
        checkNormParams(c, weight, bias);
        Tensor xc = be.contiguous(x), w = be.contiguous(weight), b = be.contiguous(bias);
        long n = x.dim(0), hw = (long) x.dim(2) * x.dim(3);
        Tensor out = be.allocate(DType.F32, x.shape());
        if (n * hw > 0) {
            be.device().launch("layernorm2d_f32", (int) ((n * hw + BLOCK - 1) / BLOCK), 1, 1, BLOCK, 0, args()
                    .ptr(be.pointer(out)).ptr(be.pointer(xc)).ptr(be.pointer(w)).ptr(be.pointer(b)).i64(n).i32(c).i64(hw)
                    .f32(eps));
        }
        return fence(out, xc, w, b, x, weight, bias);
    }

    Tensor bilinear(Tensor x, int outH, int outW) {
        requireF32(x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("bilinear interpolation wants (N, C, H, W), got " + x);
        }
        Tensor c = be.contiguous(x);
        long planes = (long) x.dim(0) * x.dim(1);
        Tensor out = be.allocate(DType.F32, x.dim(0), x.dim(1), outH, outW);
        if (out.numel() > 0) {
            launch1d("bilinear_f32", out.numel(), args().ptr(be.pointer(out)).ptr(be.pointer(c)).i64(planes).i32(x.dim(2))
                    .i32(x.dim(3)).i32(outH).i32(outW));
        }
        return fence(out, c, x);
    }

    Tensor linearResize(Tensor x, int outL) {
        requireF32(x);
        if (x.rank() != 3) {
            throw new IllegalArgumentException("linear interpolation wants (N, C, L), got " + x);
        }
        Tensor c = be.contiguous(x);
        long rows = (long) x.dim(0) * x.dim(1);
        Tensor out = be.allocate(DType.F32, x.dim(0), x.dim(1), outL);
        if (out.numel() > 0) {
            launch1d("linear_resize_f32", out.numel(), args().ptr(be.pointer(out)).ptr(be.pointer(c)).i64(rows).i32(x.dim(2))
                    .i32(outL));
        }
        return fence(out, c, x);
    }
}
