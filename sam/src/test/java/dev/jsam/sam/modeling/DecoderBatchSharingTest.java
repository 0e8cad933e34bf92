package dev.jsam.sam.modeling;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.Golden;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A batch of prompts on one image shares the prompt-independent work of the decoder's first
 * layer (the image side is a broadcast, computed once; the prompts fold into one attention).
 * The result must equal decoding the same batch with the image embedding copied per prompt.
 */
class DecoderBatchSharingTest {
    @Test
    void sharedImageSideEqualsPerPromptCopies() throws Exception {
        try (CpuBackend be = CpuBackend.create()) {
            Sam sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be), be);
            int c = sam.config().promptEncoder().embedDim();
            Random r = new Random(5);
            float[] f = new float[c * 64 * 64];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) r.nextGaussian();
            }
            Tensor features = Tensor.of(be, f, 1, c, 64, 64);
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
}
