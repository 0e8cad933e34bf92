package dev.jsam.tensor.cpu;

import dev.jsam.tensor.ConcatShape;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.PadShape;
import dev.jsam.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Data movement on the CPU, for every dtype: padding, concatenation, repeat_interleave,
 * index_select and casts, as whole strided views copied at once. The reference backend checks
 * the F32 cases against {@link dev.jsam.tensor.cpu.ref.RefLayout}, which computes each element
 * from its own index; other dtypes and casts are this one implementation in both modes.
 */
final class LayoutOps {
    private LayoutOps() {
    }

    static Tensor pad(CpuBackend be, Tensor x, int[] pads, float value) {
        PadShape p = PadShape.of(x.shape(), pads);
        Tensor out = be.full(x.dtype(), value, p.outShape());
        be.copyInto(x, p.window(out));
        return out;
    }

    static Tensor concat(CpuBackend be, List<Tensor> parts, int dim) {
        ConcatShape c = ConcatShape.of(parts, dim);
        Tensor out = be.zeros(parts.get(0).dtype(), c.outShape());
        int at = 0;
        for (Tensor t : parts) {
            be.copyInto(t, out.narrow(c.dim(), at, t.dim(c.dim())));
            at += t.dim(c.dim());
        }
        return out;
    }

    static Tensor repeatInterleave(CpuBackend be, Tensor x, int repeats, int dim) {
        int d = x.layout().axis(dim);
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
        }
        // (..., n, ...) -> (..., n, r, ...) broadcast -> (..., n*r, ...)
        int[] shape = x.shape();
        int[] expanded = new int[shape.length + 1];
        for (int i = 0, j = 0; i < expanded.length; i++) {
            expanded[i] = i == d + 1 ? repeats : shape[j++];
        }
        Tensor e = x.unsqueeze(d + 1).expand(expanded);
        int[] outShape = shape.clone();
        outShape[d] *= repeats;
        return be.copyOf(e).reshape(outShape);
    }

    static Tensor indexSelect(CpuBackend be, Tensor x, int dim, Tensor index) {
        if (index.rank() != 1 || (index.dtype() != DType.I32 && index.dtype() != DType.I64)) {
            throw new IllegalArgumentException("indexSelect wants a 1-D I32 or I64 index, got " + index);
        }
        int d = x.layout().axis(dim);
        float[] idx = index.toFloatArray();
        int[] outShape = x.shape();
        outShape[d] = idx.length;
        Tensor out = be.zeros(x.dtype(), outShape);
        for (int i = 0; i < idx.length; i++) {
            int k = (int) idx[i];
            if (k < 0 || k >= x.dim(d) || k != idx[i]) {
                throw new IndexOutOfBoundsException("index " + idx[i] + " out of range for dim " + dim + " of size " + x.dim(d));
            }
            be.copyInto(x.narrow(d, k, 1), out.narrow(d, i, 1));
        }
        return out;
    }

    static Tensor cast(CpuBackend be, Tensor src, DType to) {
        Tensor c = be.contiguous(src);
        MemorySegment in = be.segment(c);
        long n = c.numel();
        long base = c.layout().offset();
        Tensor out = be.zeros(to, c.shape());
        MemorySegment o = be.segment(out);
        if (c.dtype() == DType.F32 && to == DType.U8) {
            // masks: the same truncation as HostData.put, without its per-element dispatch
            for (long i = 0; i < n; i++) {
                o.set(ValueLayout.JAVA_BYTE, i, (byte) (long) in.get(HostData.F32, (base + i) * 4));
            }
        } else if (c.dtype() == DType.U8 && to == DType.F32) {
            // images
            for (long i = 0; i < n; i++) {
                o.set(HostData.F32, i * 4, in.get(ValueLayout.JAVA_BYTE, base + i) & 0xFF);
            }
        } else {
            for (long i = 0; i < n; i++) {
                HostData.put(to, o, i, HostData.get(c.dtype(), in, base + i));
            }
        }
        return out;
    }
}
