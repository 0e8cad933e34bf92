package dev.jsam.tensor.cpu;

import dev.jsam.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The documented accuracy of VecMath on dense sweeps, in ulps of the double-precision
 * reference rounded to float: exp within 1 ulp on [-87, 88], GELU (erfc form) within 8 ulp on
 * [-13, 10], exp2NonPositive within 1 ulp on [-125, 0], plus the edge values the kernels rely on;
 * and the scalar exp bit-identical to the vector one.
 */
class VecMathTest {
    private static double maxUlps(UnaryOp op, float from, float to, int n) {
        int lanes = VecMath.S.length();
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        double worst = 0;
        for (int i = 0; i < n; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                x[l] = from + (to - from) * (i + l) / n;
            }
            FloatVector v = FloatVector.fromArray(VecMath.S, x, 0);
            (op == UnaryOp.EXP ? VecMath.exp(v) : VecMath.gelu(v)).intoArray(y, 0);
            for (int l = 0; l < lanes; l++) {
                float want = op.reference(x[l]);
                if (want != 0 && Math.abs(want) > 1e-37f) {
                    worst = Math.max(worst, Math.abs((double) y[l] - want) / Math.ulp(want));
                }
            }
        }
        return worst;
    }

    @Test
    void expIsWithinOneUlp() {
        double ulps = maxUlps(UnaryOp.EXP, -87f, 88f, 1 << 20);
        assertTrue(ulps <= 1.0, "exp max error " + ulps + " ulp");
    }

    @Test
    void scalarExpHasTheVectorExpsBits() {
        java.util.Random rnd = new java.util.Random(17);
        float[] special = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, -0f, 0f, -87.3f, -87.29f,
                           -87.31f, -87f, 88.7f, 88.72f, 88.73f, -1e-30f, Float.MIN_VALUE, -Float.MAX_VALUE};
        assertScalarExpHasTheBitsOf(VecMath::exp, true, special,
                at -> at % 3 == 0 ? Float.intBitsToFloat(rnd.nextInt()) : (rnd.nextFloat() * 2 - 1) * 100f);
    }

    @Test
    void scalarExpHasTheBitsOfExpNonPositiveBelowZero() {
        // softmax rows end in scalar code with exp(float): their values must be what the vector loop gives
        java.util.Random rnd = new java.util.Random(23);
        float[] special = {Float.NEGATIVE_INFINITY, -0f, 0f, -87.3f, -87.29f, -87.31f, -87f, -1e-30f, -Float.MIN_VALUE,
                           -Float.MAX_VALUE, -0.3465736f, -0.34657362f, -1f, -100f};
        assertScalarExpHasTheBitsOf(VecMath::expNonPositive, false, special, at -> at % 3 == 0
                ? -Math.abs(Float.intBitsToFloat(rnd.nextInt() & 0x7F7FFFFF)) : -rnd.nextFloat() * 100f);
    }

    /**
     * VecMath.exp(float) against the vector function on the special values, then 2^18 drawn ones;
     * NaN inputs only with withNaN (expNonPositive may give another NaN's bits).
     */
    private static void assertScalarExpHasTheBitsOf(java.util.function.UnaryOperator<FloatVector> vector, boolean withNaN,
                                                    float[] special, java.util.function.IntToDoubleFunction draw) {
        int lanes = VecMath.S.length();
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        for (int i = 0; i < (1 << 18) + special.length; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                int at = i + l;
                x[l] = at < special.length ? special[at] : (float) draw.applyAsDouble(at);
            }
            vector.apply(FloatVector.fromArray(VecMath.S, x, 0)).intoArray(y, 0);
            for (int l = 0; l < lanes; l++) {
                if (withNaN || !Float.isNaN(x[l])) {
                    assertEquals(Float.floatToRawIntBits(y[l]), Float.floatToRawIntBits(VecMath.exp(x[l])), "exp(" + x[l] + ")");
                }
            }
        }
    }

    @Test
    void geluIsWithinEightUlps() {
        double ulps = maxUlps(UnaryOp.GELU, -13f, 10f, 1 << 20);
        assertTrue(ulps <= 8.0, "gelu max error " + ulps + " ulp");
    }

    @Test
    void edgeValues() {
        float[] x = {Float.NEGATIVE_INFINITY, -200f, 0f, Float.POSITIVE_INFINITY, Float.NaN, 100f, -0f, 1f};
        float[] e = new float[x.length];
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i += VecMath.S.length()) {
            var m = VecMath.S.indexInRange(i, x.length);
            FloatVector v = FloatVector.fromArray(VecMath.S, x, i, m);
            VecMath.exp(v).intoArray(e, i, m);
            VecMath.gelu(v).intoArray(g, i, m);
        }
        assertEquals(0f, e[0]);
        assertEquals(0f, e[1]);
        assertEquals(1f, e[2]);
        assertEquals(Float.POSITIVE_INFINITY, e[3]);
        assertTrue(Float.isNaN(e[4]));
        assertEquals(-0f, g[1]);
        assertEquals(Float.POSITIVE_INFINITY, g[3]);
        assertTrue(Float.isNaN(g[4]));
        assertEquals(100f, g[5]);
        assertEquals(UnaryOp.GELU.reference(1f), g[7], Math.ulp(g[7]) * 8);
    }

    @Test
    void exp2NonPositiveIsWithinOneUlpAndClampsAtMinus125() {
        int lanes = VecMath.S.length();
        float[] x = new float[lanes];
        float[] y = new float[lanes];
        double worst = 0;
        int n = 1 << 21;
        for (int i = 0; i < n; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                x[l] = -125f * (i + l) / n;
            }
            VecMath.exp2NonPositive(FloatVector.fromArray(VecMath.S, x, 0)).intoArray(y, 0);
            for (int l = 0; l < lanes; l++) {
                float want = (float) Math.pow(2, x[l]);
                worst = Math.max(worst, Math.abs((double) y[l] - want) / Math.ulp(want));
            }
        }
        assertTrue(worst <= 1.0, "exp2 max error " + worst + " ulp");
        float[] edge = {0f, -0f, -1f, -3f, -125f, -200f, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] want = {1f, 1f, 0.5f, 0.125f, 0x1p-125f, 0x1p-125f, 0x1p-125f, Float.NaN};
        float[] got = new float[edge.length];
        for (int i = 0; i < edge.length; i += lanes) {
            var m = VecMath.S.indexInRange(i, edge.length);
            VecMath.exp2NonPositive(FloatVector.fromArray(VecMath.S, edge, i, m)).intoArray(got, i, m);
        }
        assertArrayEquals(want, got);
    }
}
