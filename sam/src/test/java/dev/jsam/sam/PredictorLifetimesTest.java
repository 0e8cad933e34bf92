package dev.jsam.sam;

import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The predictor's calls as the CPU backend's lifetimes see them: a call draws its intermediates
 * from the pool and leaves nothing pooled when it returns (the next call, encoder or decoder,
 * starts from an empty pool); inside a caller's own scope the buffers stay pooled for the next
 * call, which then allocates only what outlives it; results outlive the call with their values.
 */
class PredictorLifetimesTest {
    private static RgbImage image() {
        byte[] hwc = new byte[48 * 64 * 3];
        new SplittableRandom(3).nextBytes(hwc);
        return RgbImage.of(64, 48, hwc);
    }

    @Test
    void aCallLeavesNothingPooledAndItsResultsStay() throws IOException {
        try (CpuBackend be = CpuBackend.create(2); Sam sam = Sam.load(EmbeddingIdentityTest.TINY, be)) {
            SamPredictor p = new SamPredictor(sam);
            p.setImage(image());
            assertTrue(be.poolAllocatedBytes() > 0, "the encoder drew buffers of pooled sizes");
            assertTrue(be.poolReuses() > 0, "and reused them within the call");
            assertEquals(0, be.pooledBytes(), "nothing pooled once setImage returned");
            SamPredictor.BatchPrediction b = p.predictTorch(Tensor.of(be, new float[] {300, 200, 700, 500}, 2, 1, 2),
                    new int[][] {{1}, {1}}, null, null, true, true);
            assertEquals(0, be.pooledBytes(), "nothing pooled once predictTorch returned");
            float[] masks = b.masks().toFloatArray(); // usable: not released with the call's buffers
            assertEquals(2 * 3 * 48 * 64, masks.length);
            assertArrayEquals(masks, p.predictTorch(Tensor.of(be, new float[] {300, 200, 700, 500}, 2, 1, 2),
                    new int[][] {{1}, {1}}, null, null, true, true).masks().toFloatArray(), "the same call, the same bits");
        }
    }

    @Test
    void insideACallersScopeTheNextCallReusesTheBuffers() throws IOException {
        try (CpuBackend be = CpuBackend.create(2); Sam sam = Sam.load(EmbeddingIdentityTest.TINY, be)) {
            SamPredictor p = new SamPredictor(sam);
            try (TensorScope call = be.scope()) {
                p.setImage(image());
                long first = be.poolAllocatedBytes();
                assertTrue(be.pooledBytes() > 0, "nested in the caller's scope: the encoder's buffers stay pooled");
                p.setImage(image());
                long second = be.poolAllocatedBytes() - first;
                // new buffers only for what outlives a call (the embedding and the model-frame image the predictor keeps)
                assertTrue(second < first / 4, "the second encoding allocated " + second + " bytes, the first " + first);
            }
            assertEquals(0, be.pooledBytes(), "the caller's scope was the outermost: emptied when it closed");
        }
    }
}
