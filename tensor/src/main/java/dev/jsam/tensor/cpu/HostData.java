package dev.jsam.tensor.cpu;

import dev.jsam.tensor.DType;
import dev.jsam.tensor.Layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element access to little-endian host memory for every dtype, and the strided gather that
 * turns any view into contiguous bytes. Used by the CPU backend for casts and layout copies.
 * Stateless static methods: thread-safe.
 */
public final class HostData {
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private HostData() {
    }

    /** Reads element i (counted in elements of dtype) as a double. */
    public static double get(DType dtype, MemorySegment seg, long i) {
        long b = i * dtype.byteSize();
        return switch (dtype) {
            case F32 -> seg.get(F32, b);
            case F64 -> seg.get(F64, b);
            case F16 -> Float.float16ToFloat(seg.get(I16, b));
            case BF16 -> Float.intBitsToFloat((seg.get(I16, b) & 0xFFFF) << 16);
            case I64 -> seg.get(I64, b);
            case I32 -> seg.get(I32, b);
            case I16 -> seg.get(I16, b);
            case I8 -> seg.get(ValueLayout.JAVA_BYTE, b);
            case U8 -> seg.get(ValueLayout.JAVA_BYTE, b) & 0xFF;
            case BOOL -> seg.get(ValueLayout.JAVA_BYTE, b) != 0 ? 1 : 0;
        };
    }

    /** Writes element i as dtype: floats round to nearest even, integers truncate toward zero. */
    public static void put(DType dtype, MemorySegment seg, long i, double v) {
        long b = i * dtype.byteSize();
        switch (dtype) {
            case F32 -> seg.set(F32, b, (float) v);
            case F64 -> seg.set(F64, b, v);
            case F16 -> seg.set(I16, b, Float.floatToFloat16((float) v));
            case BF16 -> seg.set(I16, b, toBf16((float) v));
            case I64 -> seg.set(I64, b, (long) v);
            case I32 -> seg.set(I32, b, (int) v);
            case I16 -> seg.set(I16, b, (short) (long) v);
            case I8, U8 -> seg.set(ValueLayout.JAVA_BYTE, b, (byte) (long) v);
            case BOOL -> seg.set(ValueLayout.JAVA_BYTE, b, (byte) (v != 0 ? 1 : 0));
        }
    }

    /** float to bfloat16 bits, rounding to nearest even; NaN stays a quiet NaN. */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /**
     * Copies the elements of a strided view (layout over src, element size elem bytes) into dst
     * contiguously, row-major. Runs of the innermost dim with stride 1 are copied as blocks.
     */
    public static void gather(MemorySegment src, Layout layout, int elem, MemorySegment dst) {
        walk(src, layout, elem, dst, true);
    }

    /** The inverse of {@link #gather}: writes contiguous src into the strided view (layout over dst). */
    public static void scatter(MemorySegment src, MemorySegment dst, Layout layout, int elem) {
        walk(dst, layout, elem, src, false);
    }

    /** Visits a strided view row by row, copying each row to (toDense) or from the dense segment. */
    private static void walk(MemorySegment strided, Layout layout, int elem, MemorySegment dense, boolean toDense) {
        int[] shape = layout.shape();
        long[] strides = layout.strides();
        int rank = shape.length;
        long n = layout.numel();
        if (n == 0) {
            return;
        }
        int inner = rank == 0 ? 1 : shape[rank - 1];
        long innerStride = rank == 0 ? 1 : strides[rank - 1];
        int[] idx = new int[Math.max(rank, 1)];
        long off = layout.offset();
        long at = 0;
        long rows = n / inner;
        for (long r = 0; r < rows; r++) {
            if (innerStride == 1) {
                copy(strided, off * elem, dense, at * elem, (long) inner * elem, toDense);
            } else {
                for (int j = 0; j < inner; j++) {
                    copy(strided, (off + j * innerStride) * elem, dense, (at + j) * elem, elem, toDense);
                }
            }
            at += inner;
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                off -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    private static void copy(MemorySegment strided, long so, MemorySegment dense, long dOff, long bytes, boolean toDense) {
        if (toDense) {
            MemorySegment.copy(strided, so, dense, dOff, bytes);
        } else {
            MemorySegment.copy(dense, dOff, strided, so, bytes);
        }
    }
}
