package dev.jsam.kernels.cuda;

/**
 * A CPU emulation of the arithmetic of gemm.cu's tensor-core kernels (sgemm_3xtf32_f32 and
 * sgemm_bf16_f32), one output element at a time: the operand roundings as the hardware does them
 * (cvt.rna.tf32.f32: nearest, ties away from zero, 10 mantissa bits kept; cvt.rn.bf16x2.f32: nearest
 * even, 7 kept), the 3xTF32 split x = hi + lo, and the accumulation in the kernel's k order: one
 * m16n8k8 mma per 8 values of k, the k-slices in increasing order, and per slice the three
 * products in the order the kernel issues them (a_lo b_hi, a_hi b_lo, a_hi b_hi) into one fp32
 * accumulator. What the tensor core does inside one mma is not specified by NVIDIA, so it is a
 * parameter ({@link Accumulate}): IEEE round-to-nearest after every product in k order, or the
 * behaviour measured on V100/A100 tensor cores (exact products, aligned to the largest exponent
 * of the group and the accumulator, truncated, summed, then rounded toward zero; Fasi, Higham,
 * Mikaitis, Pranesh 2021), for groups of 4 or 8 products. Test code: emulates, runs nothing.
 */
final class TensorCoreArithmetic {
    private TensorCoreArithmetic() {
    }

    /** How one mma adds its k products to the accumulator. */
    enum Accumulate {
        /** acc = fl(acc + p_k) in k order, round to nearest even. */
        SEQUENTIAL_NEAREST(0),
        /** Every 4 products and the accumulator aligned to the largest, truncated to 24 bits, summed exactly, rounded toward zero. */
        TRUNCATED_GROUPS_OF_4(4),
        /** The same over all 8 products of an m16n8k8 at once. */
        TRUNCATED_GROUPS_OF_8(8);

        final int group;

        Accumulate(int group) {
            this.group = group;
        }
    }

    /** The operand precision a kernel feeds the tensor cores. */
    enum Mode {
        /** One mma per slice on tf32(a) tf32(b): sgemm_tf32_f32's arithmetic. */
        TF32,
        /** Three mmas per slice on the tf32 split of a and b (a_lo b_hi, a_hi b_lo, a_hi b_hi). */
        TF32X3,
        /** One mma per slice on bf16(a) bf16(b). */
        BF16
    }

    /** cvt.rna.tf32.f32: round to 10 stored mantissa bits, ties away from zero; the 13 low bits zero. */
    static float tf32(float x) {
        int bits = Float.floatToRawIntBits(x);
        if ((bits & 0x7f800000) == 0x7f800000) {
            return x;
        }
        return Float.intBitsToFloat((bits + 0x1000) & 0xffffe000);
    }

    /** cvt.rn.bf16x2.f32 for one value: round to 7 stored mantissa bits, ties to even; the 16 low bits zero. */
    static float bf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        if ((bits & 0x7f800000) == 0x7f800000) {
            return x;
        }
        return Float.intBitsToFloat((bits + 0x7fff + ((bits >>> 16) & 1)) & 0xffff0000);
    }

    /** The 3xTF32 low part: tf32 of the (exact) fp32 residual x - tf32(x). */
    static float tf32Low(float x) {
        return tf32(x - tf32(x));
    }

    /**
     * One output element: the dot product of a (length k) and b in the mode's arithmetic, fed to
     * the mma 8 values of k at a time (the kernel zero-pads a ragged last slice).
     */
    static float dot(float[] a, float[] b, Mode mode, Accumulate acc) {
        int k = a.length;
        float c = 0f;
        float[] p = new float[8];
        for (int k0 = 0; k0 < k; k0 += 8) {
            switch (mode) {
                case TF32 -> {
                    products(a, b, k0, p, 0);
                    c = mma(c, p, acc);
                }
                case BF16 -> {
                    products(a, b, k0, p, 3);
                    c = mma(c, p, acc);
                }
                case TF32X3 -> {
                    products(a, b, k0, p, 1);
                    c = mma(c, p, acc);
                    products(a, b, k0, p, 2);
                    c = mma(c, p, acc);
                    products(a, b, k0, p, 0);
                    c = mma(c, p, acc);
                }
            }
        }
        return c;
    }

    /** p = the 8 products of slice k0: 0 hi*hi, 1 lo*hi, 2 hi*lo (tf32 parts), 3 bf16*bf16. Exact in float. */
    private static void products(float[] a, float[] b, int k0, float[] p, int which) {
        for (int i = 0; i < 8; i++) {
            int k = k0 + i;
            if (k >= a.length) {
                p[i] = 0f;
                continue;
            }
            float x = a[k], y = b[k];
            p[i] = switch (which) {
                case 0 -> tf32(x) * tf32(y);
                case 1 -> tf32Low(x) * tf32(y);
                case 2 -> tf32(x) * tf32Low(y);
                default -> bf16(x) * bf16(y);
            };
        }
    }

    /** One mma's update of one accumulator with its 8 products. */
    static float mma(float c, float[] p, Accumulate how) {
        if (how == Accumulate.SEQUENTIAL_NEAREST) {
            for (float v : p) {
                c += v;
            }
            return c;
        }
        for (int g = 0; g < 8; g += how.group) {
            c = truncatedSum(c, p, g, how.group);
        }
        return c;
    }

    /** c + p[from..from+n) with every term truncated to 24 bits below the largest exponent, then rounded toward zero. */
    private static float truncatedSum(float c, float[] p, int from, int n) {
        int emax = Integer.MIN_VALUE;
        if (c != 0f) {
            emax = Math.getExponent(c);
        }
        for (int i = from; i < from + n; i++) {
            if (p[i] != 0f) {
                emax = Math.max(emax, Math.getExponent(p[i]));
            }
        }
        if (emax == Integer.MIN_VALUE) {
            return c;
        }
        double quantum = Math.scalb(1.0, emax - 23);
        double sum = truncate(c, quantum);
        for (int i = from; i < from + n; i++) {
            sum += truncate(p[i], quantum);
        }
        return toFloatTowardZero(sum);
    }

    private static double truncate(double v, double quantum) {
        double q = v / quantum;
        return (q < 0 ? Math.ceil(q) : Math.floor(q)) * quantum;
    }

    /** The float nearest to v in the direction of zero (v is exact in double). */
    static float toFloatTowardZero(double v) {
        float f = (float) v;
        if (Math.abs((double) f) > Math.abs(v)) {
            f = Math.nextAfter(f, 0.0);
        }
        return f;
    }
}
