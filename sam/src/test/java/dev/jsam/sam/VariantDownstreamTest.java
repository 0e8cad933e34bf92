package dev.jsam.sam;

import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HQ-SAM downstream of the predictor, on hq_vit_t with the formula weights (TinyViT keeps it fast):
 * a batch of boxes gives each box the mask it gets alone, in both hq_token_only modes;
 * segment-everything runs with one candidate mask per point, as the HQ-SAM repository's generator
 * does; a predictor sharing the image keeps the HQ flag and features.
 */
class VariantDownstreamTest {
    static CpuBackend backend;
    static Sam hq;
    static RgbImage dog;

    @BeforeAll
    static void open() throws Exception {
        backend = CpuBackend.create(2);
        hq = VariantGolden.formulaModel(SamConfig.hq(SamConfig.vitT()), backend);
        dog = VariantGolden.dog();
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void aBatchOfBoxesGivesEachBoxItsOwnMask() {
        SamPredictor p = new SamPredictor(hq);
        p.setImage(dog);
        double[][] boxes = {{75, 275, 425, 510}, {60, 40, 700, 500}, {300, 100, 500, 300}};
        for (boolean hqOnly : new boolean[] {false, true}) {
            p.setHqTokenOnly(hqOnly);
            float[] flat = new float[12];
            for (int i = 0; i < 3; i++) {
                double[] t = p.transform().applyBoxes(boxes[i], dog.height(), dog.width());
                for (int j = 0; j < 4; j++) {
                    flat[4 * i + j] = (float) t[j];
                }
            }
            SamPredictor.BatchPrediction batch = p.predictTorch(null, null, Tensor.of(backend, flat, 3, 4), null, true, false);
            assertArrayEquals(new int[] {3, 1, dog.height(), dog.width()}, batch.masks().shape());
            for (int i = 0; i < 3; i++) {
                SamPredictor.Prediction one = p.predict(null, null, boxes[i], null, true, false);
                float[] a = batch.lowResLogits().select(0, i).contiguous().toFloatArray();
                float[] b = one.lowResLogits().contiguous().toFloatArray();
                double worst = 0;
                for (int k = 0; k < a.length; k++) {
                    worst = Math.max(worst, Math.abs(a[k] - b[k]));
                }
                assertTrue(worst <= 1e-4, "box " + i + " hqOnly " + hqOnly + ": batched vs alone differ by " + worst);
                assertEquals(one.iouPredictions().item(), batch.iouPredictions().select(0, i).item(), 1e-5);
            }
        }
    }

    @Test
    void theHqTokenOnlyMaskDiffersAndASharingPredictorKeepsTheFlag() {
        SamPredictor p = new SamPredictor(hq);
        p.setImage(dog);
        float[] both = p.predict(Prompt.point(500, 375)).getFirst().lowResLogits();
        p.setHqTokenOnly(true);
        SamPredictor shared = p.sharingImage();
        assertTrue(shared.hqTokenOnly());
        float[] hqOnly = shared.predict(Prompt.point(500, 375)).getFirst().lowResLogits();
        assertArrayEquals(hqOnly, p.predict(Prompt.point(500, 375)).getFirst().lowResLogits());
        assertTrue(!java.util.Arrays.equals(both, hqOnly), "without the flag the SAM mask is added to the HQ mask");
    }

    @Test
    void segmentEverythingGivesAtMostOneMaskPerPoint() {
        List<MaskRecord> records = SamAutomaticMaskGenerator.builder(hq).pointsPerSide(4).predIouThresh(0)
                .stabilityScoreThresh(0).boxNmsThresh(1.0).build().generate(dog);
        assertTrue(!records.isEmpty() && records.size() <= 16, records.size() + " masks from 16 points");
    }
}
