package dev.jsam.convert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rounding of the narrowing casts, ties and special values included. */
class FloatConvTest {
    @Test
    void bf16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, FloatConv.toBf16(1.0f));
        assertEquals((short) 0x3F80, FloatConv.toBf16(Float.intBitsToFloat(0x3F808000)));
        assertEquals((short) 0x3F82, FloatConv.toBf16(Float.intBitsToFloat(0x3F818000)));
        assertEquals((short) 0x3F81, FloatConv.toBf16(Float.intBitsToFloat(0x3F808001)));
        assertEquals((short) 0x3F80, FloatConv.toBf16(Float.intBitsToFloat(0x3F807FFF)));
        assertEquals((short) 0xBF81, FloatConv.toBf16(Float.intBitsToFloat(0xBF80C000)));
        assertEquals((short) 0x7F80, FloatConv.toBf16(Float.POSITIVE_INFINITY));
        assertEquals((short) 0x7F80, FloatConv.toBf16(Float.MAX_VALUE));
        assertEquals((short) 0x8000, FloatConv.toBf16(-0.0f));
        assertEquals((short) 0x7FC0, FloatConv.toBf16(Float.NaN));
        assertEquals((short) 0x0001, FloatConv.toBf16(Float.intBitsToFloat(0x00010000)));
        assertEquals(-2.5f, FloatConv.fromBf16(FloatConv.toBf16(-2.5f)));
    }

    @Test
    void f16MatchesTheJdkAndCanonicalisesNaN() {
        for (int bits = 0; bits < 1 << 20; bits++) {
            float f = Float.intBitsToFloat(bits * 4099);
            if (!Float.isNaN(f)) {
                assertEquals(Float.floatToFloat16(f), FloatConv.toF16(f));
            }
        }
        assertEquals((short) 0x7E00, FloatConv.toF16(Float.NaN));
        assertEquals((short) 0xFE00, FloatConv.toF16(Float.intBitsToFloat(0xFFC00001)));
        assertEquals((short) 0x3C00, FloatConv.toF16(1.0f));
        assertEquals((short) 0x7C00, FloatConv.toF16(65520f));
        assertEquals((short) 0x7BFF, FloatConv.toF16(65519.99f));
    }
}
