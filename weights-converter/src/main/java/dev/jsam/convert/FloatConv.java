package dev.jsam.convert;

import dev.jsam.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element conversion between the floating storage types, as PyTorch's casts do it: everything
 * goes through float32 (F64 to F16/BF16 included, like c10), narrowing rounds to nearest even,
 * and NaN becomes PyTorch's canonical NaN (0x7E00 with sign for f16, 0x7FC0 for bf16).
 * Integer and bool types are never converted.
 */
final class FloatConv {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FloatConv() {
    }

    /** float32 to bfloat16 bits, round to nearest even; NaN to 0x7FC0. */
    static short toBf16(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7FC0;
        }
        int bits = Float.floatToRawIntBits(f);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** bfloat16 bits to float32 (exact). */
    static float fromBf16(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /** float32 to float16 bits, round to nearest even; NaN to sign | 0x7E00. */
    static short toF16(float f) {
        if (Float.isNaN(f)) {
            return (short) ((Float.floatToRawIntBits(f) >>> 16 & 0x8000) | 0x7E00);
        }
        return Float.floatToFloat16(f);
    }

    /** Converts n elements from src (type from) into dst (type to); to must be F32, F16 or BF16. */
    static void convert(MemorySegment src, DType from, MemorySegment dst, DType to, long n) {
        for (long i = 0; i < n; i++) {
            float v = switch (from) {
                case F32 -> src.getAtIndex(F32, i);
                case F16 -> Float.float16ToFloat(src.getAtIndex(U16, i));
                case BF16 -> fromBf16(src.getAtIndex(U16, i));
                case F64 -> (float) src.getAtIndex(F64, i);
                default -> throw new IllegalArgumentException("not a floating type: " + from);
            };
            switch (to) {
                case F32 -> dst.setAtIndex(F32, i, v);
                case F16 -> dst.setAtIndex(U16, i, toF16(v));
                case BF16 -> dst.setAtIndex(U16, i, toBf16(v));
                default -> throw new IllegalArgumentException("cannot convert to " + to);
            }
        }
    }
}
