package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.MatmulShape;
import dev.jsam.tensor.Tensor;


/**
 * The fast matmul and linear: shape checks and batch bookkeeping around {@link Gemm}, which
 * reads the operands through their strides (transposes and broadcasts cost no copy). Batches
 * run in parallel when there are enough of them, else each GEMM uses all threads.
 */
final class FastLinalg {
    private FastLinalg() {
    }

    static Tensor matmul(CpuBackend be, Tensor a, Tensor b) {
        CpuBackend.requireF32(a);
        CpuBackend.requireF32(b);
        MatmulShape ms = MatmulShape.of(a, b);
        int m = ms.m(), k = ms.k(), n = ms.n();
        int[] batch = ms.batch();
        Layout la = a.expand(ms.aShape()).layout();
        Layout lb = b.expand(ms.bShape()).layout();
        int batches = (int) Layout.numel(batch);
        float[] out = be.newFloats(Math.multiplyExact(batches, Math.multiplyExact(m, n)));
        var segA = be.segment(a);
        var segB = be.segment(b);
        int r = batch.length;
        Parallel par = be.parallel();
        Parallel.Range body = (from, to) -> {
            int[] idx = new int[r + 2];
            for (int t = from; t < to; t++) {
                unravel(t, batch, idx);
                GemmOperand ga = new GemmOperand(segA, la.offsetOf(idx), la.stride(r), la.stride(r + 1));
                GemmOperand gb = new GemmOperand(segB, lb.offsetOf(idx), lb.stride(r), lb.stride(r + 1));
                Gemm.gemm(par, be.pool(), m, n, k, ga, gb, out, t * m * n, n, null, Activation.NONE);
            }
        };
        if (batches >= par.threads() && (long) m * n * k < 1L << 24) {
            par.forRange(batches, 1, body);
        } else {
            body.run(0, batches);
        }
        return be.result(out, ms.outShape());
    }

    static Tensor linear(CpuBackend be, Tensor x, Tensor weight, Tensor bias, Activation act) {
        CpuBackend.requireF32(x);
        CpuBackend.requireF32(weight);
        int k = x.dim(-1);
        int n = weight.dim(0);
        if (weight.rank() != 2 || weight.dim(1) != k) {
            throw new IllegalArgumentException("linear: input " + x + " does not match weight " + weight);
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != n)) {
            throw new IllegalArgumentException("linear: bias " + bias + " does not match weight " + weight);
        }
        int rows = 1;
        for (int i = 0; i < x.rank() - 1; i++) {
            rows *= x.dim(i);
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = n;
        float[] out = be.newFloats(Math.multiplyExact(rows, n));
        Tensor x2 = x.reshape(rows, k);
        GemmOperand ga = new GemmOperand(be.segment(x2), x2.layout().offset(), x2.layout().stride(0), x2.layout().stride(1));
        Layout lw = weight.layout();
        GemmOperand gw = new GemmOperand(be.segment(weight), lw.offset(), lw.stride(0), lw.stride(1)).transposed();
        float[] b = bias == null ? null : be.floats(bias);
        Gemm.gemm(be.parallel(), be.pool(), rows, n, k, ga, gw, out, 0, n, b, act);
        return be.result(out, shape);
    }

    /** Row-major multi-index of flat batch index t into idx[0, batch.length). */
    static void unravel(int t, int[] batch, int[] idx) {
        for (int d = batch.length - 1; d >= 0; d--) {
            idx[d] = t % batch[d];
            t /= batch[d];
        }
    }
}
