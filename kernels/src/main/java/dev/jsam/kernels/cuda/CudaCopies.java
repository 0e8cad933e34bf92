package dev.jsam.kernels.cuda;

import dev.jsam.tensor.ConcatShape;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.PadShape;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.HostData;
import jcuda.driver.CUdeviceptr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.jsam.kernels.cuda.CudaBackend.fence;

/**
 * Data movement of the CUDA backend for every dtype: host transfers (heap memory is staged
 * through a native buffer in 64 MiB chunks), strided copies between views (contiguous, pad, concat, repeat_interleave,
 * fills from a broadcast scalar), casts and index_select. Copies run the copy_bN kernels of
 * copy.cu; transfers are queued on the stream, and transfers wait for their copy. Nothing else
 * waits for the device: fills are queued memsets of the value's bits, and index_select checks its
 * index on the GPU, reporting an index out of range at the next read-back (toHost or synchronize).
 */
final class CudaCopies implements AutoCloseable {
    private static final long STAGE = 64L << 20;
    /** index_select launches described for their fault report between read-backs, at most. */
    private static final int MAX_PENDING = 1024;
    private static final long FAULT_BYTES = 3 * Long.BYTES;

    private final CudaBackend be;
    /**
     * The index_select kernels' three fault words (see copy.cu): raw device memory outside the
     * allocator, allocated and zeroed on first use, freed by {@link #close()}.
     */
    private CUdeviceptr fault;
    /** What each index_select launched since the last read-back was (its tag is the position here). */
    private final List<String> pending = new ArrayList<>();

    CudaCopies(CudaBackend be) {
        this.be = be;
    }

    Tensor zeros(DType dtype, int... shape) {
        Tensor out = be.allocate(dtype, shape);
        long bytes = out.numel() * dtype.byteSize();
        if (bytes > 0) {
            be.device().zeroAsync(be.pointer(out), bytes);
        }
        return out;
    }

    Tensor fromHost(DType dtype, MemorySegment bytes, int... shape) {
        long n = Layout.numel(shape) * dtype.byteSize();
        if (bytes.byteSize() < n) {
            throw new IllegalArgumentException(bytes.byteSize() + " bytes for " + dtype + " " + Arrays.toString(shape));
        }
        Tensor out = be.allocate(dtype, shape);
        CUdeviceptr dst = be.pointer(out);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stage = bytes.isNative() ? null : arena.allocate(Math.min(n, STAGE), 16);
            for (long off = 0; off < n; off += STAGE) {
                long len = Math.min(STAGE, n - off);
                MemorySegment chunk = bytes.asSlice(off, len);
                if (stage != null) {
                    MemorySegment.copy(chunk, 0, stage, 0, len);
                    chunk = stage.asSlice(0, len);
                }
                be.device().copyToDevice(dst.withByteOffset(off), chunk.asByteBuffer(), len);
            }
        }
        return out;
    }

    void toHost(Tensor src, MemorySegment dst) {
        Tensor c = be.contiguous(src);
        long n = c.numel() * c.dtype().byteSize();
        if (dst.byteSize() < n) {
            throw new IllegalArgumentException(dst.byteSize() + " bytes of room for " + src);
        }
        CUdeviceptr from = be.pointer(c);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment stage = dst.isNative() ? null : arena.allocate(Math.min(Math.max(n, 1), STAGE), 16);
            for (long off = 0; off < n; off += STAGE) {
                long len = Math.min(STAGE, n - off);
                MemorySegment target = stage != null ? stage.asSlice(0, len) : dst.asSlice(off, len);
                be.device().copyToHost(target.asByteBuffer(), from.withByteOffset(off), len);
                if (stage != null) {
                    MemorySegment.copy(stage, 0, dst, off, len);
                }
            }
        }
        fence(c, src);
        checkIndexFaults();
    }

    /**
     * Throws for an out-of-range index seen by an index_select launched since the last check,
     * reading the fault words back only when there was one (called at every read-back).
     */
    void checkIndexFaults() {
        if (pending.isEmpty()) {
            return;
        }
        long[] words = new long[3];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment w = arena.allocate(FAULT_BYTES, 8);
            be.device().copyToHost(w.asByteBuffer(), fault, FAULT_BYTES);
            MemorySegment.copy(w, ValueLayout.JAVA_LONG, 0, words, 0, 3);
        }
        List<String> launched = List.copyOf(pending);
        pending.clear();
        IndexOutOfBoundsException e = indexFault(words, launched);
        if (e != null) {
            be.device().zeroAsync(fault, FAULT_BYTES);
            throw e;
        }
    }

    /**
     * The exception the fault words (1 + position or 0, value, tag) describe, or null for none;
     * launched[tag] names the index_select, a tag past the list (more launches than recorded) an unnamed one.
     */
    static IndexOutOfBoundsException indexFault(long[] words, List<String> launched) {
        if (words[0] == 0) {
            return null;
        }
        int tag = (int) words[2];
        String what = tag >= 0 && tag < launched.size() ? launched.get(tag) : "an indexSelect";
        return new IndexOutOfBoundsException("index " + words[1] + " at position " + (words[0] - 1) + " out of range in "
                + what + " (checked on the GPU, reported at the next read-back)");
    }

    /** A contiguous copy of any view. */
    Tensor copy(Tensor src) {
        Tensor out = be.allocate(src.dtype(), src.shape());
        copyInto(src, out);
        return out;
    }

    /** Writes the elements of src into dst, a view of the same shape and dtype (possibly strided). */
    void copyInto(Tensor src, Tensor dst) {
        if (src.numel() == 0) {
            return;
        }
        int[] shape = src.shape();
        long[] words = Geometry.of(shape, dst.layout().strides(), src.layout().strides());
        String kernel = "copy_b" + src.dtype().byteSize();
        be.device().launch(kernel, be.device().gridFor(src.numel(), 256), 1, 1, 256, 0,
                new KernelArgs().ptr(be.pointer(dst)).ptr(be.pointer(src)).struct(words));
        fence(dst, src);
    }

    /**
     * A contiguous tensor of the dtype with every element value converted as cast() would: a
     * queued memset of the value's bits; 8-byte dtypes whose two 4-byte halves differ are
     * uploaded and copied instead (a wait for the upload).
     */
    Tensor full(DType dtype, float value, int... shape) {
        long bits = fillPattern(dtype, value);
        int width = dtype.byteSize();
        if (width == 8 && (int) bits != (int) (bits >>> 32)) {
            Tensor one = cast(fromHost(DType.F32, scalar(value)), dtype);
            return copy(one.reshape(ones(shape.length)).expand(shape));
        }
        Tensor out = be.allocate(dtype, shape);
        if (out.numel() > 0) {
            be.device().fillAsync(be.pointer(out), (int) bits, Math.min(width, 4), out.numel() * width / Math.min(width, 4));
        }
        return out;
    }

    /** The little-endian bits of value as one element of dtype, by the CPU backend's conversion rules (HostData.put). */
    static long fillPattern(DType dtype, float value) {
        MemorySegment one = MemorySegment.ofArray(new long[1]);
        HostData.put(dtype, one, 0, value);
        return one.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
    }

    private static MemorySegment scalar(float value) {
        MemorySegment s = Arena.ofAuto().allocate(4, 4);
        s.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, value);
        return s;
    }

    private static int[] ones(int rank) {
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        return s;
    }

    Tensor cast(Tensor src, DType to) {
        Tensor out = be.allocate(to, src.shape());
        if (src.numel() > 0) {
            long[] words = Geometry.of(src.shape(), Layout.rowMajorStrides(src.shape()), src.layout().strides());
            be.device().launch("cast_any", be.device().gridFor(src.numel(), 256), 1, 1, 256, 0,
                    new KernelArgs().ptr(be.pointer(out)).i32(to.ordinal()).ptr(be.pointer(src)).i32(src.dtype().ordinal())
                            .struct(words));
        }
        return fence(out, src);
    }

    Tensor pad(Tensor x, int[] pads, float value) {
        PadShape p = PadShape.of(x.shape(), pads);
        Tensor out = full(x.dtype(), value, p.outShape());
        copyInto(x, p.window(out));
        return out;
    }

    Tensor concat(List<Tensor> parts, int dim) {
        ConcatShape c = ConcatShape.of(parts, dim);
        int d = c.dim();
        Tensor out = be.allocate(parts.get(0).dtype(), c.outShape());
        int at = 0;
        for (Tensor t : parts) {
            copyInto(t, out.narrow(d, at, t.dim(d)));
            at += t.dim(d);
        }
        return out;
    }

    Tensor repeatInterleave(Tensor x, int repeats, int dim) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeatInterleave needs repeats >= 1, got " + repeats);
        }
        int d = x.layout().axis(dim);
        int[] shape = x.shape();
        int[] expanded = new int[shape.length + 1];
        for (int i = 0, j = 0; i < expanded.length; i++) {
            expanded[i] = i == d + 1 ? repeats : shape[j++];
        }
        int[] outShape = shape.clone();
        outShape[d] = shape[d] * repeats;
        return copy(x.unsqueeze(d + 1).expand(expanded)).reshape(outShape);
    }

    Tensor indexSelect(Tensor x, int dim, Tensor index) {
        if (index.rank() != 1 || (index.dtype() != DType.I64 && index.dtype() != DType.I32)) {
            throw new IllegalArgumentException("indexSelect wants a 1-D I32 or I64 index, got " + index);
        }
        int d = x.layout().axis(dim);
        Tensor idx = cast(index, DType.I64);
        int count = index.dim(0);
        Tensor src = be.contiguous(x);
        int[] shape = x.shape();
        long outer = 1, inner = 1;
        for (int i = 0; i < d; i++) {
            outer *= shape[i];
        }
        for (int i = d + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int[] outShape = shape.clone();
        outShape[d] = count;
        Tensor out = be.allocate(x.dtype(), outShape);
        if (out.numel() > 0) {
            if (fault == null) {
                fault = be.device().tryAllocate(FAULT_BYTES);
                if (fault == null) {
                    throw new IllegalStateException("CUDA device out of memory for " + FAULT_BYTES + " bytes");
                }
                be.device().zeroAsync(fault, FAULT_BYTES);
            }
            long tag = pending.size();
            if (pending.size() < MAX_PENDING) {
                pending.add("indexSelect on dim " + d + " of " + x);
            }
            be.device().launch("index_select_b" + x.dtype().byteSize(), be.device().gridFor(out.numel(), 256), 1, 1, 256, 0,
                    new KernelArgs().ptr(be.pointer(out)).ptr(be.pointer(src)).ptr(be.pointer(idx)).i64(outer)
                            .i64(count).i64(shape[d]).i64(inner).ptr(fault).i64(tag));
        }
        return fence(out, src, idx, x);
    }

    /** Frees the fault words (the device's queued work must be done or abandoned). */
    @Override
    public void close() {
        if (fault != null) {
            be.device().free(fault);
            fault = null;
        }
    }
}
