package dev.jsam.sam.modeling;

import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoder's attention with the image side's projections folded into the tokens' side
 * (fewQueries for token-to-image, fewKeys for image-to-token) against the plain projections and
 * attention, with random weights and biases (the biases are where the folding leans on softmax:
 * a key bias drops out, a value and output bias ride on rows of P summing to 1), at vit_b's
 * decoder shape (256 wide, 8 heads, internal width 128) and 7 tokens over 300 image tokens,
 * for a batch of prompts and for image tokens broadcast over the batch.
 */
class FoldedAttentionTest {
    private static final int DIM = 256;
    private static final int HEADS = 8;
    private static final int TOKENS = 7;
    private static final int IMAGE = 300;

    private static float[] random(Random r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    private static TwoWayTransformer.Attention attention(CpuBackend be, Random r) {
        CraftedWeights w = new CraftedWeights(be);
        int inner = DIM / 2;
        for (String p : new String[] {"q_proj", "k_proj", "v_proj"}) {
            w.put(p + ".weight", random(r, inner * DIM, 1 / Math.sqrt(DIM))).put(p + ".bias", random(r, inner, 0.5));
        }
        w.put("out_proj.weight", random(r, DIM * inner, 1 / Math.sqrt(inner))).put("out_proj.bias", random(r, DIM, 0.5));
        return w.build(weights -> new TwoWayTransformer.Attention(weights, DIM, HEADS, 2));
    }

    /** Relative L2 distance, with the largest absolute difference bounded too. */
    private static void assertClose(Tensor expected, Tensor actual) {
        float[] e = expected.contiguous().toFloatArray();
        float[] a = actual.contiguous().toFloatArray();
        assertEquals(e.length, a.length);
        double num = 0, den = 0, max = 0;
        for (int i = 0; i < e.length; i++) {
            num += (e[i] - a[i]) * (double) (e[i] - a[i]);
            den += e[i] * (double) e[i];
            max = Math.max(max, Math.abs(e[i] - a[i]));
        }
        assertTrue(Math.sqrt(num / den) < 2e-6, "relative L2 " + Math.sqrt(num / den));
        assertTrue(max < 1e-4, "max abs " + max);
    }

    @Test
    void foldedTokenToImageEqualsProjections() {
        try (CpuBackend be = CpuBackend.create(2)) {
            Random r = new Random(11);
            TwoWayTransformer.Attention att = attention(be, r);
            assertTrue(att.foldsKeys(TOKENS));
            assertFalse(att.foldsKeys(16)); // 8 heads x 16 tokens: no cheaper than projecting to 128
            Tensor q = Tensor.of(be, random(r, 3 * TOKENS * DIM, 1), 3, TOKENS, DIM);
            Tensor k = Tensor.of(be, random(r, 3 * IMAGE * DIM, 1), 3, IMAGE, DIM);
            Tensor v = Tensor.of(be, random(r, 3 * IMAGE * DIM, 1), 3, IMAGE, DIM);
            assertClose(att.forward(q, k, v), att.fewQueries(q, k, v));
            Tensor k1 = k.narrow(0, 0, 1).expand(3, IMAGE, DIM);
            Tensor v1 = v.narrow(0, 0, 1).expand(3, IMAGE, DIM);
            assertClose(att.forward(q, k1.contiguous(), v1.contiguous()), att.fewQueries(q, k1, v1));
        }
    }

    @Test
    void foldedImageToTokenEqualsProjections() {
        try (CpuBackend be = CpuBackend.create(2)) {
            Random r = new Random(12);
            TwoWayTransformer.Attention att = attention(be, r);
            Tensor q = Tensor.of(be, random(r, 3 * IMAGE * DIM, 1), 3, IMAGE, DIM);
            Tensor k = Tensor.of(be, random(r, 3 * TOKENS * DIM, 1), 3, TOKENS, DIM);
            Tensor v = Tensor.of(be, random(r, 3 * TOKENS * DIM, 1), 3, TOKENS, DIM);
            assertClose(att.forward(q, k, v), att.fewKeys(q, k, v));
            Tensor q1 = q.narrow(0, 0, 1).expand(3, IMAGE, DIM);
            assertClose(att.forward(q1.contiguous(), k, v), att.fewKeys(q1, k, v));
        }
    }
}
