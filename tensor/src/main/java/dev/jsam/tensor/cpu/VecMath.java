package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised float math for the fast kernels: exp (Cody-Waite reduction, degree-7 Taylor on
 * |r| <= ln2/2, at most 1 ulp; results below ~1e-38 flush to 0), and GELU through
 * erfc(a) = t exp(Q(t) - a^2), t = 1/(1 + a/2), with Q a degree-9 polynomial fitted by us
 * (least squares, numpy) to max |error| 4.6e-8 in the exponent. a^2 = x^2 / 2 is split exactly
 * into hi + lo (FMA, from x itself, not the rounded x / sqrt 2) and hi is reduced exactly
 * (expDiff), so GELU stays within 8 ulp even deep in the tail. Not a general libm.
 */
final class VecMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND_MAGIC = 12582912f;
    private static final int MAGIC_BITS = Float.floatToRawIntBits(ROUND_MAGIC);
    private static final float INV_SQRT2 = 0.70710678118654752f;

    /** Q(u) with u = 2.4 t - 1.4, highest degree first (fitted over a in [0, 10]). */
    private static final float[] ERFC_Q = {
        5.381636947e-05f, 7.309893408e-05f, -5.320150522e-04f, -2.266982046e-04f, 3.705789335e-03f,
        -1.062954077e-03f, -2.946988307e-02f, 1.574721746e-02f, 5.703070760e-01f, -5.585954189e-01f,
    };

    private VecMath() {
    }

    /**
     * The sum of the lanes in lane order. reduceLanes(ADD) leaves the order open, and C2's
     * intrinsic and the interpreter's fallback do differ, so a result would depend on whether
     * the kernel had been JIT-compiled yet; this keeps every run bit-identical.
     */
    static float sum(FloatVector v) {
        float s = 0f;
        for (int i = 0; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    /**
     * max(x, lo) for the clamps below, as a compare and a blend: FloatVector.max has Java's
     * NaN and -0 rules, which C2 builds on AVX2 from four instructions. NaN stays NaN either way.
     */
    private static FloatVector atLeast(FloatVector x, float lo) {
        return x.blend(lo, x.lt(lo));
    }

    private static FloatVector atMost(FloatVector x, float hi) {
        return x.blend(hi, x.compare(VectorOperators.GT, hi));
    }

    static FloatVector exp(FloatVector x) {
        FloatVector xc = atMost(atLeast(x, -87.0f), 88.7f);
        FloatVector shifted = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = shifted.sub(ROUND_MAGIC);
        FloatVector r = n.fma(bc(-LN2_HI), xc);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector result = scaledPoly(r, shifted);
        result = result.blend(0f, x.lt(-87.3f));
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, 88.72f));
        return result.blend(x, x.test(VectorOperators.IS_NAN));
    }

    /**
     * {@link #exp(FloatVector)} of one float, bit for bit: the same operations in scalar form, for
     * a kernel that needs a single value (a vector op on one lane, called from a method too big
     * for C2 to inline it into, boxes every vector it passes: 7% of the allocations of a
     * 64-prompt batch came from one such call).
     */
    static float exp(float x) {
        float xc = x < -87.0f ? -87.0f : x;
        xc = xc > 88.7f ? 88.7f : xc;
        float shifted = Math.fma(xc, LOG2E, ROUND_MAGIC);
        float n = shifted - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, 1f / 5040f, 1f / 720f);
        p = Math.fma(p, r, 1f / 120f);
        p = Math.fma(p, r, 1f / 24f);
        p = Math.fma(p, r, 1f / 6f);
        p = Math.fma(p, r, 0.5f);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int ni = Float.floatToRawIntBits(shifted) - MAGIC_BITS;
        float result = p * Float.intBitsToFloat((ni + 126) << 23) * 2f;
        if (x < -87.3f) {
            return 0f;
        }
        if (x > 88.72f) {
            return Float.POSITIVE_INFINITY;
        }
        return Float.isNaN(x) ? x : result;
    }

    /** exp for x <= 0 (softmax after subtracting the max): no overflow branch; NaN stays NaN, x < -87.3 gives 0. */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector xc = atLeast(x, -87.0f);
        FloatVector shifted = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = shifted.sub(ROUND_MAGIC);
        FloatVector r = n.fma(bc(-LN2_HI), xc);
        r = n.fma(bc(-LN2_LO), r);
        return scaledPoly(r, shifted).blend(0f, x.lt(-87.3f));
    }

    /**
     * 2^r on [-1/2, 1/2] = sum P_i r^i: fitted by us (relative minimax, numpy) to 1.9e-9, <= 1 ulp in
     * float Horner. Named constants, not an array: C2 reloads an array's elements inside a loop that
     * stores to any float[].
     */
    private static final float P1 = 0.6931471824645996f, P2 = 0.24022646248340607f, P3 = 0.05550328642129898f,
            P4 = 0.009618489071726799f, P5 = 0.0013399930903688073f, P6 = 0.0001534581242594868f;

    /**
     * 2^x for x <= 0, the softmax of fused attention (scores kept in base 2): n = round(x), r = x - n
     * (exact), a degree-6 polynomial for 2^r, and 2^n added to its exponent bits; within 1 ulp. x below
     * -125 counts as -125 (2^-125, about 2.4e-38, where exp gives 0: nothing against a softmax's
     * largest term, 1). NaN stays NaN. 12 vector operations where {@link #expNonPositive} takes 19.
     */
    static FloatVector exp2NonPositive(FloatVector x) {
        FloatVector xc = atLeast(x, -125f);
        FloatVector shifted = xc.add(ROUND_MAGIC);
        FloatVector r = xc.sub(shifted.sub(ROUND_MAGIC));
        FloatVector p = r.fma(P6, P5);
        p = p.fma(r, bc(P4));
        p = p.fma(r, bc(P3));
        p = p.fma(r, bc(P2));
        p = p.fma(r, bc(P1));
        p = p.fma(r, bc(1f));
        IntVector n23 = shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
        return p.reinterpretAsInts().add(n23).reinterpretAsFloats();
    }

    /**
     * exp(w - h) for h >= 0 and small w, with h reduced by n ln2 before w is added, so a large
     * exact h keeps its digits (exp of the rounded sum would lose ~u h relative).
     */
    static FloatVector expDiff(FloatVector w, FloatVector h) {
        FloatVector x = w.sub(h);
        FloatVector shifted = atLeast(x, -87.0f).fma(LOG2E, ROUND_MAGIC);
        FloatVector n = shifted.sub(ROUND_MAGIC);
        FloatVector r = n.fma(bc(-LN2_HI), h.neg());
        r = n.fma(bc(-LN2_LO), r).add(w);
        return scaledPoly(r, shifted).blend(0f, x.lt(-87.3f));
    }

    /** e^r * 2^n for |r| <= ~ln2/2, n held in the low bits of shifted = n + 1.5 * 2^23. */
    private static FloatVector scaledPoly(FloatVector r, FloatVector shifted) {
        FloatVector p = r.fma(1f / 5040f, 1f / 720f);
        p = p.fma(r, bc(1f / 120f));
        p = p.fma(r, bc(1f / 24f));
        p = p.fma(r, bc(1f / 6f));
        p = p.fma(r, bc(0.5f));
        p = p.fma(r, bc(1f));
        p = p.fma(r, bc(1f));
        IntVector ni = shifted.reinterpretAsInts().sub(MAGIC_BITS);
        FloatVector scale = ni.add(126).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).mul(2f);
    }

    /** x * Phi(x) with Phi from the erfc form above, so the negative tail keeps its relative accuracy. */
    static FloatVector gelu(FloatVector x) {
        FloatVector z = x.mul(INV_SQRT2);
        FloatVector a = z.abs();
        FloatVector t = a.fma(0.5f, 1f);
        t = FloatVector.broadcast(S, 1f).div(t);
        FloatVector u = t.fma(2.4f, -1.4f);
        FloatVector q = FloatVector.broadcast(S, ERFC_Q[0]);
        for (int i = 1; i < ERFC_Q.length; i++) {
            q = q.fma(u, bc(ERFC_Q[i]));
        }
        FloatVector hi = x.mul(x);
        FloatVector lo = x.fma(x, hi.neg()).mul(0.5f);
        hi = hi.mul(0.5f);
        FloatVector e = t.mul(expDiff(q.sub(lo), hi));
        e = e.blend(0f, a.compare(VectorOperators.GT, 10f));
        VectorMask<Float> pos = z.compare(VectorOperators.GT, 0f);
        FloatVector twicePhi = e.blend(e.neg().add(2f), pos);
        return x.mul(0.5f).mul(twicePhi);
    }

    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    static FloatVector relu(FloatVector x) {
        return FloatVector.zero(S).blend(x, x.compare(VectorOperators.GT, 0f));
    }

    /** Applies GELU or ReLU in place to a[off, off + n). */
    static void activateInPlace(Activation act, float[] a, int off, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        switch (act) {
            case NONE -> {
                return;
            }
            case RELU -> {
                for (; i < bound; i += S.length()) {
                    relu(FloatVector.fromArray(S, a, off + i)).intoArray(a, off + i);
                }
            }
            case GELU -> {
                for (; i < bound; i += S.length()) {
                    gelu(FloatVector.fromArray(S, a, off + i)).intoArray(a, off + i);
                }
            }
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, a, off + i, m);
            v = act == Activation.RELU ? relu(v) : gelu(v);
            v.intoArray(a, off + i, m);
        }
    }
}
