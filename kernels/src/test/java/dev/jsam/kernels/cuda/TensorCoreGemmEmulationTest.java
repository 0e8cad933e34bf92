package dev.jsam.kernels.cuda;

import dev.jsam.kernels.cuda.TensorCoreArithmetic.Accumulate;
import dev.jsam.kernels.cuda.TensorCoreArithmetic.Mode;
import dev.jsam.tensor.conformance.Tolerance;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The numerics of the tensor-core GEMMs, emulated on the CPU ({@link TensorCoreArithmetic}) at
 * the vit_b encoder's GEMM shapes: full K, a sample of 32 rows x 64 columns of the output, inputs
 * drawn like the model's (layer-normed activations, GELU outputs, normalised pixels; weights of
 * std 0.02), against the float64 product. 3xTF32 must stay within the conformance table's fp32
 * GEMM bound (Tolerance.gemm(K)) and the golden files' relative L2 of 1e-5 under every
 * accumulation model; plain TF32 and bf16 must not (which is why 3xTF32 exists), and bf16's
 * error is measured and bounded by the figure written in kernels/README.md.
 */
class TensorCoreGemmEmulationTest {
    private static final int ROWS = 32;
    private static final int COLS = 64;
    private static final double GOLDEN_REL_L2 = 1e-5;
    /** bf16 operands (8 significant bits): measured relative L2 2.2e-3 to 2.5e-3 on these shapes (kernels/README.md). */
    private static final double BF16_REL_L2 = 4e-3;

    /** A vit_b encoder GEMM: its name, K, and how its two operands are distributed. */
    private record Shape(String name, int k, Input a, Input b) {
    }

    private enum Input {
        LAYERNORMED, GELU_OUT, ATTENTION_OUT, PIXELS, WEIGHT
    }

    private static final Shape[] SHAPES = {
        new Shape("patch_embed 768x4096 K=768 (im2col)", 768, Input.WEIGHT, Input.PIXELS),
        new Shape("qkv 4900x2304 K=768", 768, Input.LAYERNORMED, Input.WEIGHT),
        new Shape("proj 4900x768 K=768", 768, Input.ATTENTION_OUT, Input.WEIGHT),
        new Shape("mlp.lin1 4096x3072 K=768", 768, Input.LAYERNORMED, Input.WEIGHT),
        new Shape("mlp.lin2 4096x768 K=3072", 3072, Input.GELU_OUT, Input.WEIGHT),
        new Shape("neck conv1 256x4096 K=768", 768, Input.WEIGHT, Input.LAYERNORMED),
        new Shape("neck conv2 (3x3) 256x4096 K=2304", 2304, Input.WEIGHT, Input.LAYERNORMED),
    };

    private static double sample(Input in, Random r) {
        return switch (in) {
            case LAYERNORMED -> r.nextGaussian() * (1 + 0.2 * r.nextGaussian()) + 0.05;
            case GELU_OUT -> {
                double x = r.nextGaussian() - 0.5;
                yield 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            }
            case ATTENTION_OUT -> 0.3 * r.nextGaussian();
            case PIXELS -> (r.nextInt(256) / 255.0 - 0.45) / 0.226;
            case WEIGHT -> 0.02 * r.nextGaussian();
        };
    }

    /** Abramowitz-Stegun 7.1.26 (1.5e-7): only shapes test data, so its accuracy is immaterial. */
    private static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
                * Math.exp(-x * x);
        return x < 0 ? -y : y;
    }

    /** The error of one arithmetic on one shape. */
    private record Error(double normalisedMax, double relL2, boolean withinGemmBound) {
    }

    private static float[][] draw(Input in, int count, int k, Random r) {
        float[][] v = new float[count][k];
        DoubleSupplier s = () -> sample(in, r);
        for (float[] row : v) {
            for (int i = 0; i < k; i++) {
                row[i] = (float) s.getAsDouble();
            }
        }
        return v;
    }

    private static Error measure(float[][] a, float[][] b, int k, Mode mode, Accumulate acc) {
        double[] want = new double[ROWS * COLS];
        float[] got = new float[ROWS * COLS];
        double maxWant = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                double w = 0;
                for (int p = 0; p < k; p++) {
                    w += (double) a[i][p] * b[j][p];
                }
                want[i * COLS + j] = w;
                maxWant = Math.max(maxWant, Math.abs(w));
                got[i * COLS + j] = TensorCoreArithmetic.dot(a[i], b[j], mode, acc);
            }
        }
        Tolerance t = Tolerance.gemm(k);
        double worst = 0, num = 0, den = 0;
        boolean within = true;
        for (int e = 0; e < want.length; e++) {
            double d = Math.abs(got[e] - want[e]);
            worst = Math.max(worst, d / (Math.abs(want[e]) + maxWant));
            within &= d <= t.rel() * Math.abs(want[e]) + t.ofMax() * maxWant + t.floor();
            num += d * d;
            den += want[e] * want[e];
        }
        return new Error(worst, Math.sqrt(num / den), within);
    }

    @Test
    void splitTf32StaysWithinTheFp32BoundsAndPlainTf32AndBf16DoNot() {
        Random r = new Random(20);
        StringBuilder table = new StringBuilder(String.format(
                "%-36s %-22s %-10s %-10s %-10s %s%n", "shape", "arithmetic", "max err", "bound", "rel L2", "within"));
        for (Shape s : SHAPES) {
            float[][] a = draw(s.a(), ROWS, s.k(), r);
            float[][] b = draw(s.b(), COLS, s.k(), r);
            double bound = Tolerance.gemm(s.k()).rel();
            for (Accumulate acc : Accumulate.values()) {
                Error e = measure(a, b, s.k(), Mode.TF32X3, acc);
                table.append(row(s, "3xTF32 " + acc, e, bound));
                assertTrue(e.withinGemmBound(), s.name() + " 3xTF32 " + acc + " outside Tolerance.gemm: " + e);
                assertTrue(e.relL2() <= GOLDEN_REL_L2, s.name() + " 3xTF32 " + acc + " relative L2 " + e.relL2());
            }
            for (Mode m : new Mode[] {Mode.TF32, Mode.BF16}) {
                for (Accumulate acc : new Accumulate[] {Accumulate.SEQUENTIAL_NEAREST, Accumulate.TRUNCATED_GROUPS_OF_4}) {
                    Error e = measure(a, b, s.k(), m, acc);
                    table.append(row(s, m + " " + acc, e, bound));
                    assertTrue(!e.withinGemmBound() && e.relL2() > GOLDEN_REL_L2, s.name() + " " + m + " unexpectedly within: " + e);
                    if (m == Mode.BF16) {
                        assertTrue(e.relL2() <= BF16_REL_L2, s.name() + " bf16 relative L2 " + e.relL2());
                    }
                }
            }
        }
        System.out.print(table);
    }

    private static String row(Shape s, String arithmetic, Error e, double bound) {
        return String.format("%-36s %-22s %-10.3g %-10.3g %-10.3g %s%n", s.name(), arithmetic.toLowerCase().replace('_', ' '),
                e.normalisedMax(), bound, e.relL2(), e.withinGemmBound());
    }

    @Test
    void operandRoundingsMatchThePtxConversions() {
        // cvt.rna: ties away from zero at the 13th bit; cvt.rn (bf16): ties to even at the 16th.
        assertEquals(Float.intBitsToFloat(0x3f802000), TensorCoreArithmetic.tf32(Float.intBitsToFloat(0x3f801000)));
        assertEquals(Float.intBitsToFloat(0xbf802000), TensorCoreArithmetic.tf32(Float.intBitsToFloat(0xbf801000)));
        assertEquals(Float.intBitsToFloat(0x3f800000), TensorCoreArithmetic.tf32(Float.intBitsToFloat(0x3f800fff)));
        assertEquals(Float.intBitsToFloat(0x3f800000), TensorCoreArithmetic.bf16(Float.intBitsToFloat(0x3f808000)));
        assertEquals(Float.intBitsToFloat(0x3f820000), TensorCoreArithmetic.bf16(Float.intBitsToFloat(0x3f818000)));
        assertEquals(Float.intBitsToFloat(0x3f810000), TensorCoreArithmetic.bf16(Float.intBitsToFloat(0x3f808001)));
        // the split is exact to about 22 bits: x - hi - lo is at most 2^-22 |x| (hi and lo each keep 11 bits)
        Random r = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            float x = (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 20));
            double rest = (double) x - TensorCoreArithmetic.tf32(x) - TensorCoreArithmetic.tf32Low(x);
            assertTrue(Math.abs(rest) <= Math.scalb(Math.abs((double) x), -22), x + " leaves " + rest);
        }
    }

    @Test
    void truncatingAccumulationRoundsTowardZero() {
        float[] p = {1f, Math.scalb(1f, -24), Math.scalb(1f, -24), 0, 0, 0, 0, 0};
        // nearest: 1 + 2^-24 ties to 1 twice; truncated: both tiny terms fall below 2^-23 and vanish
        assertEquals(1f, TensorCoreArithmetic.mma(0f, p, Accumulate.SEQUENTIAL_NEAREST));
        assertEquals(1f, TensorCoreArithmetic.mma(0f, p, Accumulate.TRUNCATED_GROUPS_OF_8));
        // 1.5 + (1.5 + 3 2^-23) = 3 + 1.5 2^-22: toward zero 3 + 2^-22, nearest 3 + 2^-21
        float[] q = {1.5f, 1.5f + Math.scalb(3f, -23), 0, 0, 0, 0, 0, 0};
        assertEquals(3f + Math.scalb(1f, -22), TensorCoreArithmetic.mma(0f, q, Accumulate.TRUNCATED_GROUPS_OF_4));
        assertEquals(3f + Math.scalb(1f, -21), TensorCoreArithmetic.mma(0f, q, Accumulate.SEQUENTIAL_NEAREST));
        // a term below the largest's last bit is dropped before the sum: 1 + 2^-23 + 2^-24 truncates to 1 + 2^-23
        float[] t = {1f, Math.scalb(3f, -24), 0, 0, 0, 0, 0, 0};
        assertEquals(1f + Math.scalb(1f, -23), TensorCoreArithmetic.mma(0f, t, Accumulate.TRUNCATED_GROUPS_OF_8));
        assertEquals(1f + Math.scalb(1f, -22), TensorCoreArithmetic.mma(0f, t, Accumulate.SEQUENTIAL_NEAREST));
        assertEquals(Math.nextDown(3f), TensorCoreArithmetic.toFloatTowardZero(3.0 - 1e-9));
        assertEquals(-Math.nextDown(3f), TensorCoreArithmetic.toFloatTowardZero(-3.0 + 1e-9));
    }
}
