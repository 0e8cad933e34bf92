package dev.jsam.tensor.cpu.ref;

import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.DimSplit;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.ReduceOp;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.UnaryOp;
import dev.jsam.tensor.cpu.CpuBackend;

/**
 * The scalar oracle for elementwise ops, reductions, softmax and layer norms: plain loops over
 * contiguous copies of the inputs, statistics accumulated in double. Obviously right, not fast.
 * Stateless static methods: thread-safe.
 */
public final class RefElementwise {
    private RefElementwise() {
    }

    public static Tensor unary(CpuBackend be, UnaryOp op, Tensor x) {
        float[] a = be.floats(x);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = op.reference(a[i]);
        }
        return be.wrap(out, x.shape());
    }

    public static Tensor binary(CpuBackend be, BinaryOp op, Tensor a, Tensor b) {
        int[] shape = Layout.broadcastShapes(a.shape(), b.shape());
        float[] x = be.floats(a.expand(shape));
        float[] y = be.floats(b.expand(shape));
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = op.reference(x[i], y[i]);
        }
        return be.wrap(out, shape);
    }

    public static Tensor binary(CpuBackend be, BinaryOp op, Tensor a, float s) {
        float[] x = be.floats(a);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = op.reference(x[i], s);
        }
        return be.wrap(out, a.shape());
    }

        public static Tensor reduce(CpuBackend be, ReduceOp op, Tensor x, int dim, boolean keepDim) {
        int d = x.layout().axis(dim);
        int[] shape = x.shape();
        DimSplit split = DimSplit.of(shape, d);
        int n = split.n(), outer = split.outer(), inner = split.inner();
        float[] a = be.floats(x);
        float[] out = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : 0;
                for (int k = 0; k < n; k++) {
                    float v = a[(o * n + k) * inner + in];
                    acc = op == ReduceOp.MAX ? (Float.isNaN(v) || v > acc ? v : acc) : acc + v;
                }
                out[o * inner + in] = (float) (op == ReduceOp.MEAN ? acc / n : acc);
            }
        }
        return be.wrap(out, DimSplit.reducedShape(shape, d, keepDim));
    }

    public static float[] argmax(CpuBackend be, Tensor x, int d) {
        int[] shape = x.shape();
        DimSplit split = DimSplit.of(shape, d);
        int n = split.n(), outer = split.outer(), inner = split.inner();
        float[] a = be.floats(x);
        float[] out = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int best = 0;
                float bv = a[o * n * inner + in];
                for (int k = 1; k < n; k++) {
                    float v = a[(o * n + k) * inner + in];
                    if (v > bv || (Float.isNaN(v) && !Float.isNaN(bv))) {
                        bv = v;
                        best = k;
                    }
                }
                out[o * inner + in] = best;
            }
        }
        return out;
    }

    public static Tensor softmax(CpuBackend be, Tensor x) {
        float[] a = be.floats(x);
        int n = x.dim(-1);
        float[] out = new float[a.length];
        for (int r = 0; r < a.length / Math.max(n, 1); r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, a[r * n + j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(a[r * n + j] - max);
            }
            for (int j = 0; j < n; j++) {
                out[r * n + j] = (float) (Math.exp(a[r * n + j] - max) / sum);
            }
        }
        return be.wrap(out, x.shape());
    }

    public static Tensor layerNorm(CpuBackend be, Tensor x, Tensor weight, Tensor bias, float eps) {
        int c = x.dim(-1);
        float[] a = be.floats(x);
        float[] w = be.floats(weight);
        float[] b = be.floats(bias);
        float[] out = new float[a.length];
        for (int r = 0; r < a.length / Math.max(c, 1); r++) {
            double mean = 0;
            for (int j = 0; j < c; j++) {
                mean += a[r * c + j];
            }
            mean /= c;
            double var = 0;
            for (int j = 0; j < c; j++) {
                double dv = a[r * c + j] - mean;
                var += dv * dv;
            }
            var /= c;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int j = 0; j < c; j++) {
                out[r * c + j] = (float) ((a[r * c + j] - mean) * inv * w[j] + b[j]);
            }
        }
        return be.wrap(out, x.shape());
    }

    public static Tensor layerNorm2d(CpuBackend be, Tensor x, Tensor weight, Tensor bias, float eps) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("layerNorm2d wants (N, C, H, W), got " + x);
        }
        Tensor moved = x.permute(0, 2, 3, 1);
        Tensor normed = layerNorm(be, moved, weight, bias, eps);
        return be.contiguous(normed.permute(0, 3, 1, 2));
    }
}
