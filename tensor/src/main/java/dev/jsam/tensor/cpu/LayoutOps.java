package dev.jsam.tensor.cpu;

import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

/**
 * Data movement on the CPU, for every dtype: padding, concatenation, repeat_interleave,
 * index_select and casts. These only move bytes, so one plain implementation serves both the
 * reference and the fast backend.
 */
final class LayoutOps {
    private LayoutOps() {
    }

    static Tensor pad(CpuBackend be, Tensor x, int[] pads, float value) {
        if (pads.length % 2 != 0 || pads.length / 2 > x.rank()) {
            throw new IllegalArgumentException("pad wants (before, after) pairs for at most " + x.rank()
                    + " dims, got " + Arrays.toString(pads));
        }
        int[] shape = x.shape();
        int[] outShape = shape.clone();
        int[] before = new int[shape.length];
        for (int p = 0; p < pads.length / 2; p++) {
            int d = shape.length - 1 - p;
            if (pads[2 * p] < 0 || pads[2 * p + 1] < 0) {
                throw new IllegalArgumentException("negative padding " + Arrays.toString(pads));
            }
            before[d] = pads[2 * p];
            outShape[d] = shape[d] + pads[2 * p] + pads[2 * p + 1];
        }
        Tensor out = be.full(x.dtype(), value, outShape);
        Tensor window = out;
        for (int d = 0; d < shape.length; d++) {
            window = window.narrow(d, before[d], shape[d]);
        }
        be.copyInto(x, window);
        return out;
    }

    static Tensor concat(CpuBackend be, List<Tensor> parts, int dim) {
        Tensor first = parts.get(0);
        int d = first.layout().axis(dim);
        int[] shape = first.shape();
        int total = 0;
        for (Tensor t : parts) {
            int[] s = t.shape();
            if (s.length != shape.length || t.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat: " + t + " does not match " + first);
            }
            for (int i = 0; i < s.length; i++) {
                if (i != d && s[i] != shape[i]) {
                    throw new IllegalArgumentException("concat along " + dim + ": " + Arrays.toString(s) + " vs "
                            + Arrays.toString(shape));
                }
            }
            total += s[d];
        }
        shape[d] = total;
        Tensor out = be.zeros(first.dtype(), shape);
        int at = 0;
        for (Tensor t : parts) {
            be.copyInto(t, out.narrow(d, at, t.dim(d)));
            at += t.dim(d);
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
