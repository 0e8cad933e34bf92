package dev.jsam.sam.modeling;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Erf;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every LayerNorm and LayerNorm2d eps of the model made visible. Each module is built from the
 * model's own classes with {@link CraftedWeights} that route a near-constant input (channel variance
 * about 1e-6, the size of the eps themselves) through its norms and nothing else, and its output is
 * held to the same chain computed in double with the reference's eps: 1e-6 for the image encoder's
 * LayerNorms (build_sam.py) and every LayerNorm2d (common.py), 1e-5 (nn.LayerNorm's default) in the
 * TwoWayTransformer. Each test also proves its own reach: swapping 1e-6 and 1e-5 at any one norm
 * moves the expected output by more than ten times the tolerance.
 */
class LayerNormEpsilonTest {
    private static final double ENCODER_EPS = 1e-6;
    private static final double NORM_2D_EPS = 1e-6;
    private static final double DECODER_EPS = 1e-5;
    /**
     * Error bound relative to the output's spread (largest distance from its mean): float32 carries
     * the 1e-3 deviations of inputs near 0.5 to about 1e-4 of their size (one ulp of 0.5 is 6e-8),
     * and a swapped eps moves the output by 5 % of its spread or more.
     */
    private static final double TOLERANCE = 1e-3;

    private static Backend backend;

    @BeforeAll
    static void open() {
        backend = CpuBackend.create(1);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /**
     * ImageEncoderViT on a 2 x 2 token grid: the patch embedding a near-constant bias, attention the
     * identity on its own normalised input (q = k = 0, v and proj identities), the MLP an identity
     * (gelu(y) - gelu(-y) = y), the neck's convolutions identities: block0 = x1 + norm2(x1) with
     * x1 = x + norm1(x), features = neck3(neck1(block0)).
     */
    @Test
    void imageEncoderBlockNormsAndNeckNorms() {
        int c = 8;
        float[] qkv = new float[3 * c * c];
        float[] lin1 = new float[4 * c * c];
        float[] lin2 = new float[c * 4 * c];
        float[] neck2 = new float[c * c * 9];
        for (int i = 0; i < c; i++) {
            qkv[(2 * c + i) * c + i] = 1;
            lin1[i * c + i] = 1;
            lin1[(c + i) * c + i] = -1;
            lin2[i * 4 * c + i] = 1;
            lin2[i * 4 * c + c + i] = -1;
            neck2[(i * c + i) * 9 + 4] = 1;
        }
        ImageEncoderConfig cfg = new ImageEncoderConfig(32, 16, 3, c, 1, 1, 4 * c, c, true, true, 14, new int[] {0});
        ImageEncoderViT encoder = new CraftedWeights(backend)
                .put("patch_embed.proj.bias", floats(nearConstant(c, 0.5)))
                .put("blocks.0.norm1.weight", CraftedWeights.fill(c, 1e-3f))
                .put("blocks.0.attn.qkv.weight", qkv)
                .put("blocks.0.attn.proj.weight", CraftedWeights.diagonal(c, c, 0, 1))
                .put("blocks.0.norm2.weight", CraftedWeights.fill(c, 1e-3f))
                .put("blocks.0.mlp.lin1.weight", lin1)
                .put("blocks.0.mlp.lin2.weight", lin2)
                .put("neck.0.weight", CraftedWeights.diagonal(c, c, 0, 1))
                .put("neck.1.weight", CraftedWeights.fill(c, 1e-3f))
                .put("neck.1.bias", CraftedWeights.fill(c, 0.25f))
                .put("neck.2.weight", neck2)
                .put("neck.3.weight", CraftedWeights.fill(c, 1))
                .build(w -> new ImageEncoderViT(w, cfg));
        Map<String, Tensor> trace = new LinkedHashMap<>();
        float[] features = encoder.forward(backend.zeros(DType.F32, 1, 3, 32, 32), trace::put).toFloatArray();
        float[] block0 = trace.get("block0").toFloatArray(); // 1 x 2 x 2 x C, every token the same

        Function<double[], double[]> block = eps -> {
            double[] x1 = add(nearConstant(c, 0.5), layerNorm(nearConstant(c, 0.5), 1e-3, 0, eps[0]));
            return add(x1, layerNorm(x1, 1e-3, 0, eps[1]));
        };
        Function<double[], double[]> neck = eps -> layerNorm(layerNorm(block.apply(eps), 1e-3, 0.25, eps[2]), 1, 0, eps[3]);
        double[] eps = {ENCODER_EPS, ENCODER_EPS, NORM_2D_EPS, NORM_2D_EPS};
        assertVisible(block, eps, "blocks.0.norm1, blocks.0.norm2", 0, 1);
        assertVisible(neck, eps, "neck.1, neck.3", 2, 3); // the block norms show in block0
        assertMatches("block0 (every token)", tile(block.apply(eps), 4), block0);
        assertMatches("features (channel-major)", repeatEach(neck.apply(eps), 4), features);
    }

    /**
     * TwoWayTransformer, depth 1, one query token: self attention passes it through (v and out
     * identities), the cross attentions and the MLP add zero; so queries = norm_final(norm3(norm2(
     * norm1(q)))) and keys = norm4(k), with norms 1 to 3 scaled by 1e-3 so that each next one sees
     * a variance below its eps.
     */
    @Test
    void twoWayTransformerNorms() {
        int c = 8;
        TwoWayTransformer transformer = new CraftedWeights(backend)
                .put("layers.0.self_attn.v_proj.weight", CraftedWeights.diagonal(c, c, 0, 1))
                .put("layers.0.self_attn.out_proj.weight", CraftedWeights.diagonal(c, c, 0, 1))
                .put("layers.0.norm1.weight", CraftedWeights.fill(c, 1e-3f))
                .put("layers.0.norm2.weight", CraftedWeights.fill(c, 1e-3f))
                .put("layers.0.norm3.weight", CraftedWeights.fill(c, 1e-3f))
                .put("layers.0.norm4.weight", CraftedWeights.fill(c, 1))
                .put("norm_final_attn.weight", CraftedWeights.fill(c, 1))
                .build(w -> new TwoWayTransformer(w, 1, c, 1, 16, MaskDecoderConfig.ATTENTION_DOWNSAMPLE_RATE));
        double[] token = nearConstant(c, 0.5);
        double[] pixel = nearConstant(c, -0.25);
        Tensor image = Tensor.of(backend, floats(repeatEach(pixel, 4)), 1, c, 2, 2);
        Tensor query = Tensor.of(backend, floats(token), 1, 1, c);
        TwoWayTransformer.Result r = transformer.forward(image, backend.zeros(DType.F32, 1, c, 2, 2), query);

        Function<double[], double[]> queries = eps -> layerNorm(layerNorm(layerNorm(layerNorm(token, 1e-3, 0, eps[0]),
                1e-3, 0, eps[1]), 1e-3, 0, eps[2]), 1, 0, eps[4]);
        Function<double[], double[]> keys = eps -> layerNorm(pixel, 1, 0, eps[3]);
        double[] eps = {DECODER_EPS, DECODER_EPS, DECODER_EPS, DECODER_EPS, DECODER_EPS};
        assertVisible(queries, eps, "norm1, norm2, norm3, norm_final_attn", 0, 1, 2, 4);
        assertVisible(keys, eps, "norm4", 3);
        assertMatches("queries", queries.apply(eps), r.queries().toFloatArray());
        assertMatches("keys (every token)", tile(keys.apply(eps), 4), r.keys().toFloatArray());
    }

    /**
     * MaskDecoder's output_upscaling LayerNorm2d: norm4 (weight 0) makes the image tokens its
     * near-constant bias, the first transposed conv copies channels 0..3 to every upscaled pixel,
     * the second copies channels 0 and 1, and mask token i's hypernetwork returns the unit vector
     * e_(i mod 2): mask i = gelu(gelu(norm(channels 0..3))[i mod 2]) everywhere.
     */
    @Test
    void maskDecoderOutputUpscalingNorm() {
        int c = 16;
        float[] up0 = new float[c * 4 * 4];
        for (int k = 0; k < 4; k++) {
            Arrays.fill(up0, (k * 4 + k) * 4, (k * 4 + k) * 4 + 4, 1f);
        }
        float[] up3 = new float[4 * 2 * 4];
        Arrays.fill(up3, 0, 4, 1f);           // channel 0 -> 0
        Arrays.fill(up3, (2 + 1) * 4, 16, 1f); // channel 1 -> 1
        CraftedWeights w = new CraftedWeights(backend)
                .put("transformer.layers.0.norm4.bias", floats(nearConstant(c, 0.5)))
                .put("output_upscaling.0.weight", up0)
                .put("output_upscaling.1.weight", CraftedWeights.fill(4, 1))
                .put("output_upscaling.3.weight", up3);
        for (int i = 0; i < 4; i++) {
            w.put("output_hypernetworks_mlps." + i + ".layers.2.bias", i % 2 == 0 ? new float[] {1, 0} : new float[] {0, 1});
        }
        MaskDecoder decoder = w.build(x -> new MaskDecoder(x, new MaskDecoderConfig(c, 1, 1, 16, 3, 3, 16)));
        Tensor zeros = backend.zeros(DType.F32, 1, c, 2, 2);
        float[] masks = decoder.predictMasks(zeros, zeros, backend.zeros(DType.F32, 1, 1, c), zeros)
                .masks().toFloatArray(); // 1 x 4 x 8 x 8

        Function<double[], double[]> expected = eps -> {
            double[] n = layerNorm(Arrays.copyOf(nearConstant(c, 0.5), 4), 1, 0, eps[0]);
            double[] out = new double[4];
            for (int i = 0; i < 4; i++) {
                out[i] = gelu(gelu(n[i % 2]));
            }
            return out;
        };
        double[] eps = {NORM_2D_EPS};
        assertVisible(expected, eps, "output_upscaling.1", 0);
        assertMatches("masks (every pixel)", repeatEach(expected.apply(eps), 64), masks);
    }

    /**
     * PromptEncoder's mask_downscaling: the first conv a near-constant bias (2 channels), its norm
     * scaled by 1e-3, the second conv copying channel (o mod 2) to channel o, the last conv the
     * identity: dense = gelu(norm4(gelu(norm1(bias)) spread over 8 channels)) at every position.
     */
    @Test
    void promptEncoderMaskDownscalingNorms() {
        int mic = 8;
        float[] down3 = new float[mic * 2 * 4];
        for (int o = 0; o < mic; o++) {
            down3[(o * 2 + o % 2) * 4] = 1;
        }
        PromptEncoder encoder = new CraftedWeights(backend)
                .put("mask_downscaling.0.bias", 0.5f + 1e-3f, 0.5f - 1e-3f)
                .put("mask_downscaling.1.weight", CraftedWeights.fill(2, 1e-3f))
                .put("mask_downscaling.3.weight", down3)
                .put("mask_downscaling.4.weight", CraftedWeights.fill(mic, 1))
                .put("mask_downscaling.6.weight", CraftedWeights.diagonal(mic, mic, 0, 1))
                .build(w -> new PromptEncoder(w, new PromptEncoderConfig(mic, 2, 32, mic)));
        float[] dense = encoder.forward(backend, null, null, null, backend.zeros(DType.F32, 1, 1, 8, 8))
                .dense().toFloatArray(); // 1 x 8 x 2 x 2

        Function<double[], double[]> expected = eps -> {
            double[] n1 = layerNorm(new double[] {0.5f + 1e-3f, 0.5f - 1e-3f}, 1e-3, 0, eps[0]);
            double[] x3 = new double[mic];
            for (int o = 0; o < mic; o++) {
                x3[o] = gelu(n1[o % 2]);
            }
            double[] n4 = layerNorm(x3, 1, 0, eps[1]);
            return Arrays.stream(n4).map(LayerNormEpsilonTest::gelu).toArray();
        };
        double[] eps = {NORM_2D_EPS, NORM_2D_EPS};
        assertVisible(expected, eps, "mask_downscaling.1, mask_downscaling.4", 0, 1);
        assertMatches("dense (channel-major)", repeatEach(expected.apply(eps), 4), dense);
    }

    /**
     * offset + 1e-3 z with z a zero-mean pattern (variance 3.6 over 8 channels), so a channel
     * variance of 3.6e-6, between the two eps; rounded to float32 as the model sees it.
     */
    private static double[] nearConstant(int c, double offset) {
        double[] z = {1, -1, 2, -2, 0.5, -0.5, 3, -3};
        double[] out = new double[c];
        for (int k = 0; k < c; k++) {
            out[k] = (float) (offset + 1e-3 * z[k % 8] * (1 + k / 8));
        }
        return out;
    }

    /** torch.nn.LayerNorm over the vector with scalar weight and bias, in double. */
    private static double[] layerNorm(double[] x, double weight, double bias, double eps) {
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).average().orElseThrow();
        return Arrays.stream(x).map(v -> (v - mean) / Math.sqrt(var + eps) * weight + bias).toArray();
    }

    private static double gelu(double x) {
        return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
    }

    /** Swapping 1e-6 and 1e-5 at each of the norms (indexes into eps) moves f by > 10 x the tolerance. */
    private static void assertVisible(Function<double[], double[]> f, double[] eps, String names, int... norms) {
        double[] right = f.apply(eps);
        for (int i : norms) {
            double[] swapped = eps.clone();
            swapped[i] = eps[i] == 1e-6 ? 1e-5 : 1e-6;
            double moved = maxAbsDiff(right, f.apply(swapped)) / spread(right);
            assertTrue(moved > 10 * TOLERANCE, names + ": a swapped eps at norm " + i + " moves the output by only "
                    + moved + " of its spread");
        }
    }

    private static void assertMatches(String what, double[] expected, float[] got) {
        double[] g = new double[got.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = got[i];
        }
        double err = expected.length == got.length ? maxAbsDiff(expected, g) / spread(expected) : Double.NaN;
        System.out.printf("%s: error %.2e of the spread%n", what, err);
        assertTrue(err <= TOLERANCE, what + ": " + Arrays.toString(got) + ", expected " + Arrays.toString(expected)
                + " (error " + err + " of the spread; a wrong LayerNorm eps?)");
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double spread(double[] x) {
        double mean = Arrays.stream(x).average().orElseThrow();
        return Arrays.stream(x).map(v -> Math.abs(v - mean)).max().orElseThrow();
    }

    private static double[] add(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }

    /** x repeated n times: [x, x, ...] (token-major layouts). */
    private static double[] tile(double[] x, int n) {
        double[] out = new double[x.length * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, out, i * x.length, x.length);
        }
        return out;
    }

    /** Each element of x repeated n times: [x0, x0, ..., x1, ...] (channel-major layouts). */
    private static double[] repeatEach(double[] x, int n) {
        double[] out = new double[x.length * n];
        for (int i = 0; i < out.length; i++) {
            out[i] = x[i / n];
        }
        return out;
    }

    private static float[] floats(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }
}
