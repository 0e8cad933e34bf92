package dev.jsam.sam;

import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Masks upsampled a strip or a column at a time are bit for bit what the whole-batch path gives
 * (Sam.postprocessMasks, then logits > 0): for images larger and smaller than the model's input,
 * tall, wide and one pixel thin, and through predict(Prompt) against the positional predict.
 */
class UpsampledMaskTest {
    @Test
    void stripsAndColumnsEqualPostprocessMasks() throws Exception {
        int[][] sizes = {{534, 800}, {3000, 1999}, {5, 3}, {1, 700}, {1023, 1}, {1024, 1024}};
        SplittableRandom r = new SplittableRandom(3);
        try (CpuBackend be = CpuBackend.create(2);
             Sam sam = Sam.load(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be)) {
            float[] low = new float[2 * 256 * 256];
            for (int i = 0; i < low.length; i++) {
                low[i] = (float) (r.nextDouble() * 6 - 3);
            }
            Tensor lowT = Tensor.of(be, low, 1, 2, 256, 256);
            for (int[] hw : sizes) {
                int h = hw[0], w = hw[1];
                double s = 1024.0 / Math.max(h, w);
                int inH = (int) (h * s + 0.5), inW = (int) (w * s + 0.5);
                Tensor want = sam.postprocessMasks(lowT, inH, inW, h, w);
                float[] wantLogits = want.toFloatArray();
                byte[] wantBits = want.gt(Sam.MASK_THRESHOLD).to(DType.U8).toByteArray();
                for (int k = 0; k < 2; k++) {
                    UpsampledMask m = UpsampledMask.of(low, k * 256 * 256, 256, 1024, inH, inW, h, w);
                    int strip = Math.max(1, m.stripRows() / 3);
                    float[] logits = new float[h * w];
                    byte[] bits = new byte[h * w];
                    float[] row = new float[strip * w];
                    byte[] rowBits = new byte[strip * w];
                    for (int y0 = 0; y0 < h; y0 += strip) {
                        int y1 = Math.min(h, y0 + strip);
                        m.logitRows(y0, y1, row);
                        System.arraycopy(row, 0, logits, y0 * w, (y1 - y0) * w);
                        m.maskRows(y0, y1, rowBits);
                        System.arraycopy(rowBits, 0, bits, y0 * w, (y1 - y0) * w);
                    }
                    String what = Arrays.toString(hw) + " mask " + k;
                    assertArrayEquals(Arrays.copyOfRange(wantLogits, k * h * w, (k + 1) * h * w), logits, 0f, what);
                    assertArrayEquals(Arrays.copyOfRange(wantBits, k * h * w, (k + 1) * h * w), bits, what);
                    byte[] col = new byte[h];
                    for (int x = 0; x < w; x += Math.max(1, w / 7)) {
                        m.maskColumn(x, col);
                        for (int y = 0; y < h; y++) {
                            assertEquals(wantBits[k * h * w + y * w + x], col[y], what + " column " + x + " row " + y);
                        }
                    }
                }
            }
        }
    }

    @Test
    void predictPromptGivesThePositionalPredictsMasksExactly() throws Exception {
        try (CpuBackend be = CpuBackend.create(2);
             Sam sam = Sam.load(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be)) {
            Golden g = Golden.open("golden/tiny/dog.safetensors");
            SamPredictor p = new SamPredictor(sam);
            p.setEmbedding(new ImageEmbedding(g.tensor("features", be), 534, 800, 684, 1024, sam.id()));
            Masks masks = p.predict(Prompt.box(60, 40, 700, 500).withNegativePoint(300, 300));
            SamPredictor.Prediction want = p.predict(new double[] {300, 300}, new int[] {0},
                    new double[] {60, 40, 700, 500}, null, true, false);
            byte[] bits = want.masks().contiguous().toByteArray();
            assertEquals(3, masks.size());
            for (int k = 0; k < 3; k++) {
                boolean[] px = masks.get(k).binaryMask().data();
                for (int i = 0; i < px.length; i++) {
                    assertEquals(bits[k * px.length + i] != 0, px[i], "mask " + k + " pixel " + i);
                }
            }
        }
    }
}
