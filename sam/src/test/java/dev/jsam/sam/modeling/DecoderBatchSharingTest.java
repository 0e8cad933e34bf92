package dev.jsam.sam.modeling;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.Golden;
import dev.jsam.sam.ImageEmbedding;
import dev.jsam.sam.SamPredictor;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch of prompts on one image shares the prompt-independent work of the decoder's first
 * layer (the image side is a broadcast, computed once; the prompts fold into one attention).
 * The result must equal decoding the same batch with the image embedding copied per prompt.
 * A predictor goes further and keeps that image side from one prompt to the next.
 */
class DecoderBatchSharingTest {
    /** Image features (1, C, 64, 64) of the model's embedding width, standard normal from seed. */
    private static Tensor randomFeatures(CpuBackend be, Sam sam, long seed) {
        int c = sam.config().promptEncoder().embedDim();
        Random r = new Random(seed);
        float[] f = new float[c * 64 * 64];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return Tensor.of(be, f, 1, c, 64, 64);
    }

    @Test
    void sharedImageSideEqualsPerPromptCopies() throws Exception {
        try (CpuBackend be = CpuBackend.create()) {
            Sam sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be), be);
            Tensor features = randomFeatures(be, sam, 5);
            int c = features.dim(1);
            int b = 5;
            float[] xy = new float[b * 2];
            int[][] labels = new int[b][];
            for (int i = 0; i < b; i++) {
                xy[2 * i] = 100 + 150 * i;
                xy[2 * i + 1] = 700 - 90 * i;
                labels[i] = new int[] {1};
            }
            PromptEncoder.Embeddings emb = sam.promptEncoder().forward(be, Tensor.of(be, xy, b, 1, 2), labels, null, null);
            Tensor pe = sam.promptEncoder().getDensePe(be);
            MaskDecoder.Output shared = sam.maskDecoder().forward(features, pe, emb.sparse(), emb.dense(), true);
            Tensor copies = features.expand(b, c, 64, 64).contiguous();
            Tensor denseCopies = emb.dense().contiguous();
            MaskDecoder.Output separate = sam.maskDecoder().forward(copies, pe, emb.sparse(), denseCopies, true);
            assertEquals(0, features.expand(b, c, 64, 64).layout().stride(0));
            assertArrayEquals(separate.iouPred().toFloatArray(), shared.iouPred().toFloatArray(), 1e-6f);
            assertArrayEquals(separate.masks().toFloatArray(), shared.masks().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void predictorReusesTheImageSideBitForBit() throws Exception {
        try (CpuBackend be = CpuBackend.create()) {
            Sam sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be), be);
            SamPredictor predictor = new SamPredictor(sam);
            Tensor pe = sam.promptEncoder().getDensePe(be);
            float[][] prompts = {{512, 300}, {100, 650, 900, 80}, {40, 40}};
            for (int seed = 7; seed <= 8; seed++) { // the second image must not see the first one's side
                Tensor features = randomFeatures(be, sam, seed);
                predictor.setEmbedding(new ImageEmbedding(features, 534, 800, 684, 1024, sam.id()));
                for (float[] xy : prompts) {
                    int b = xy.length / 2;
                    int[][] labels = new int[b][];
                    for (int i = 0; i < b; i++) {
                        labels[i] = new int[] {i % 2};
                    }
                    Tensor coords = Tensor.of(be, xy, b, 1, 2);
                    SamPredictor.LowRes kept = predictor.predictLowRes(coords, labels, null, null, true);
                    PromptEncoder.Embeddings emb = sam.promptEncoder().forward(be, coords, labels, null, null);
                    MaskDecoder.Output fresh = sam.maskDecoder().forward(features, pe, emb.sparse(), emb.dense(), true);
                    assertArrayEquals(fresh.masks().toFloatArray(), kept.logits().toFloatArray(), 0f);
                    assertArrayEquals(fresh.iouPred().toFloatArray(), kept.iouPredictions().toFloatArray(), 0f);
                }
            }
        }
    }

    /**
     * Predictors made by sharingImage() share the first one's image side: from several threads at
     * once they give bit for bit what a fresh predictor gives, and a new image on one of them
     * leaves the others' alone.
     */
    @Test
    void predictorsSharingAnImageAgreeWithAFreshOneFromManyThreads() throws Exception {
        try (CpuBackend be = CpuBackend.create()) {
            Sam sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be), be);
            int c = sam.config().promptEncoder().embedDim();
            ImageEmbedding e = new ImageEmbedding(randomFeatures(be, sam, 11), 534, 800, 684, 1024, sam.id());
            SamPredictor fresh = new SamPredictor(sam);
            fresh.setEmbedding(e);
            SamPredictor template = new SamPredictor(sam);
            template.setEmbedding(e);
            long before = template.heldBytes();
            double[][] points = {{500, 375}, {120, 40}, {790, 530}, {10, 300}};
            List<Future<float[]>> results = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                for (double[] xy : points) {
                    results.add(pool.submit(() -> template.sharingImage()
                            .predict(xy, new int[] {1}, null, null, true, true).masks().toFloatArray()));
                }
                for (int i = 0; i < points.length; i++) {
                    float[] want = fresh.predict(points[i], new int[] {1}, null, null, true, true).masks().toFloatArray();
                    assertArrayEquals(want, results.get(i).get(), 0f);
                }
            } finally {
                pool.shutdown();
            }
            assertTrue(template.heldBytes() > before, "the image side is kept: " + before + " -> " + template.heldBytes());
            SamPredictor other = template.sharingImage();
            other.setEmbedding(new ImageEmbedding(Tensor.of(be, new float[c * 64 * 64], 1, c, 64, 64), 534, 800, 684, 1024,
                    sam.id()));
            float[] want = fresh.predict(points[0], new int[] {1}, null, null, true, true).masks().toFloatArray();
            assertArrayEquals(want, template.sharingImage().predict(points[0], new int[] {1}, null, null, true, true)
                    .masks().toFloatArray(), 0f);
        }
    }
}
