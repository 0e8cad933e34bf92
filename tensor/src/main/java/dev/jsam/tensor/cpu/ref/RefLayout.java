package dev.jsam.tensor.cpu.ref;

import dev.jsam.tensor.ConcatShape;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.PadShape;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;

import java.util.List;

/**
 * The scalar oracle for data movement on F32 tensors (pad, concat, repeat_interleave,
 * index_select): every output element is computed from its own multi-index, reading the input
 * through a contiguous copy. The fast backend moves whole runs through strided views instead.
 * Stateless static methods: thread-safe.
 */
public final class RefLayout {
    private RefLayout() {
    }

    public static Tensor pad(CpuBackend be, Tensor x, int[] pads, float value) {
        PadShape p = PadShape.of(x.shape(), pads);
        int[] in = x.shape(), outShape = p.outShape();
        float[] a = be.floats(x);
        float[] out = new float[Math.toIntExact(Layout.numel(outShape))];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            unravel(i, outShape, idx);
            int src = 0;
            boolean inside = true;
            for (int d = 0; d < idx.length; d++) {
                int k = idx[d] - p.before()[d];
                inside &= k >= 0 && k < in[d];
                src = src * in[d] + k;
            }
            out[i] = inside ? a[src] : value;
        }
        return be.wrap(out, outShape);
    }

    public static Tensor concat(CpuBackend be, List<Tensor> parts, int dim) {
        ConcatShape c = ConcatShape.of(parts, dim);
        int[] outShape = c.outShape();
        float[][] data = new float[parts.size()][];
        for (int t = 0; t < parts.size(); t++) {
            data[t] = be.floats(parts.get(t));
        }
        float[] out = new float[Math.toIntExact(Layout.numel(outShape))];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            unravel(i, outShape, idx);
            int t = 0, k = idx[c.dim()];
            while (k >= parts.get(t).dim(c.dim())) {
                k -= parts.get(t).dim(c.dim());
                t++;
            }
            idx[c.dim()] = k;
            out[i] = data[t][ravel(idx, parts.get(t).shape())];
        }
        return be.wrap(out, outShape);
    }

    public static Tensor repeatInterleave(CpuBackend be, Tensor x, int repeats, int dim) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        int d = x.layout().axis(dim);
        int[] outShape = x.shape();
        outShape[d] *= repeats;
        float[] a = be.floats(x);
        float[] out = new float[Math.toIntExact(Layout.numel(outShape))];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            unravel(i, outShape, idx);
            idx[d] /= repeats;
            out[i] = a[ravel(idx, x.shape())];
        }
        return be.wrap(out, outShape);
    }

    public static Tensor indexSelect(CpuBackend be, Tensor x, int dim, Tensor index) {
        if (index.rank() != 1 || (index.dtype() != DType.I32 && index.dtype() != DType.I64)) {
            throw new IllegalArgumentException("indexSelect wants a 1-D I32 or I64 index, got " + index);
        }
        int d = x.layout().axis(dim);
        float[] sel = index.toFloatArray();
        for (float k : sel) {
            if (k < 0 || k >= x.dim(d) || k != (int) k) {
                throw new IndexOutOfBoundsException("index " + k + " out of range for dim " + dim + " of size " + x.dim(d));
            }
        }
        int[] outShape = x.shape();
        outShape[d] = sel.length;
        float[] a = be.floats(x);
        float[] out = new float[Math.toIntExact(Layout.numel(outShape))];
        int[] idx = new int[outShape.length];
        for (int i = 0; i < out.length; i++) {
            unravel(i, outShape, idx);
            idx[d] = (int) sel[idx[d]];
            out[i] = a[ravel(idx, x.shape())];
        }
        return be.wrap(out, outShape);
    }

    /** The row-major multi-index of flat position i in shape. */
    private static void unravel(int i, int[] shape, int[] idx) {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = i % shape[d];
            i /= shape[d];
        }
    }

    private static int ravel(int[] idx, int[] shape) {
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            flat = flat * shape[d] + idx[d];
        }
        return flat;
    }
}
