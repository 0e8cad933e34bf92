package dev.jsam.tensor.conformance;

/**
 * The one table of how far a backend may differ from the scalar reference, per op family, and
 * why. An element passes when |got - want| <= rel * |want| + ofMax * max|want| + floor, where
 * max|want| is over the whole output (for sums whose terms cancel, the error scales with the
 * terms, not with the result). u = 2^-24 is the unit roundoff of float. Public for the kernel
 * tests of dev.jsam.tensor.cpu, which drive package-private kernels directly.
 */
public record Tolerance(String name, double rel, double ofMax, double floor, String source) {
    static final double U = 0x1p-24;

    /** Copies, layout ops, sign/abs/relu/sqrt, IEEE binary ops, max: one correctly rounded op or none. */
    static final Tolerance EXACT = new Tolerance("exact", 0, 0, 0,
            "data movement and single IEEE operations round identically");

    /** exp and sigmoid: measured max 1 ulp (exp) and 3 u (sigmoid); results below 1e-37 may flush to 0. */
    static final Tolerance TRANSCENDENTAL = new Tolerance("exp/sigmoid", 4 * U, 0, 1e-37,
            "Cody-Waite exp with degree-7 Taylor: <= 1 ulp + 1 ulp for sigmoid's add and divide");

    /** sin/cos: Vector API SIN/COS (measured exact on this JDK, the bound allows an SVML-class 1-2 ulp). */
    static final Tolerance TRIG = new Tolerance("sin/cos", 4 * U, 0, 2 * U,
            "vector sin/cos within 2 ulp; absolute 2^-23 near zeros of sin/cos where ulps are tiny");

    /** GELU through the fitted erfc (VecMath): measured max 6 ulp (4.3e-7 relative) on a 4M-point sweep of [-13, 20]. */
    static final Tolerance GELU = new Tolerance("gelu", 16 * U, 0, 1e-30,
            "erfc fit 4.6e-8 in the exponent, one exp of ~1 ulp, a divide and three products: 16 u allowed");

    /** Bilinear/linear resize: the same float coordinate formula (the CPU kernel is bit-identical; a GPU may contract to FMA). */
    static final Tolerance RESAMPLE = new Tolerance("resample", 4 * U, 4 * U, 0,
            "same coefficients; 3 multiply-adds each within 1 rounding");

    /**
     * fp32 accumulation of n terms of magnitude <= maxTerm in blocked/lane-wise order: error
     * grows like sqrt(n) u max|term| (probabilistic bound, c = 4), whatever the sum cancels to.
     */
    static Tolerance sum(int n, double maxTerm) {
        double e = 4 * Math.sqrt(Math.max(n, 1)) * U;
        return new Tolerance("fp32 sum over " + n, e, e, e * maxTerm, "sum of n floats: |err| <= c sqrt(n) u max|term|, c = 4");
    }

    /**
     * matmul/linear/conv: K products accumulated in fp32 with FMA. The bound's sum|a b| is
     * stood in for by max|want| over the output (comparable for the random inputs used here).
     */
    public static Tolerance gemm(int k) {
        double e = 4 * Math.sqrt(Math.max(k, 1)) * U;
        return new Tolerance("gemm K=" + k, e, e, 0, "fp32 dot products: |err| <= c sqrt(K) u sum|a b|, c = 4");
    }

    /** A fused GEMM with GELU: the GEMM bound followed by the GELU bound. */
    public static Tolerance gemmGelu(int k) {
        Tolerance g = gemm(k);
        return new Tolerance("gemm K=" + k + " + gelu", g.rel + GELU.rel, g.ofMax * 1.2, GELU.floor,
                "gemm bound propagated through GELU (slope <= 1.13) + GELU bound");
    }

    /** softmax over n: exp error + fp32 sum of n terms + one divide. */
    static Tolerance softmax(int n) {
        double e = (8 + 4 * Math.sqrt(Math.max(n, 1))) * U;
        return new Tolerance("softmax n=" + n, e, e, 1e-37,
                "exp <= 2 ulp, sum c sqrt(n) u, divide 1 ulp; tiny probabilities also absolute, against the largest (a - max rounds)");
    }

    /** LayerNorm over c: mean and variance sums in fp32, rsqrt, affine. */
    static Tolerance norm(int c) {
        double e = (8 + 8 * Math.sqrt(Math.max(c, 1))) * U;
        return new Tolerance("layernorm C=" + c, e, e, 0, "two fp32 sums over C (c sqrt(C) u) then ~4 roundings");
    }

    /**
     * Fused attention with head dim d and nk keys: score dot products (sqrt(d) u, amplified by
     * the exp's slope into a relative error of p), online softmax rescaling, fp32 sums over nk.
     */
    public static Tolerance attention(int d, int nk) {
        double e = (16 + 8 * Math.sqrt(Math.max(d, 1)) + 8 * Math.sqrt(Math.max(nk, 1))) * U;
        return new Tolerance("attention d=" + d + " nk=" + nk, e, e, 0,
                "scores c sqrt(d) u, exp 2 ulp, online max rescale, P V and normaliser sums c sqrt(nk) u");
    }
}
