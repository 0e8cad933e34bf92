package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generator's driving of a predictor (crops, batches, NMS order) and the annotation records. */
class AutomaticMaskGeneratorTest {

    /** One mask per point: the 7x7 square centred on it; IoU x / 100 + y / 1000, so unique per point. */
    private static final class SquarePredictor implements CropPredictor {
        final List<int[]> crops = new ArrayList<>();
        final List<Integer> batches = new ArrayList<>();
        private int h;
        private int w;

        @Override
        public void setCrop(int[] cropBox) {
            crops.add(cropBox.clone());
            w = cropBox[2] - cropBox[0];
            h = cropBox[3] - cropBox[1];
        }

        @Override
        public MaskPredictions predict(double[] pointsXY) {
            int n = pointsXY.length / 2;
            batches.add(n);
            float[] logits = new float[n * h * w];
            float[] iou = new float[n];
            Arrays.fill(logits, -5f);
            for (int p = 0; p < n; p++) {
                int cx = (int) pointsXY[2 * p];
                int cy = (int) pointsXY[2 * p + 1];
                for (int y = Math.max(0, cy - 3); y <= Math.min(h - 1, cy + 3); y++) {
                    for (int x = Math.max(0, cx - 3); x <= Math.min(w - 1, cx + 3); x++) {
                        logits[p * h * w + y * w + x] = 5f;
                    }
                }
                iou[p] = (float) (pointsXY[2 * p] / 100 + pointsXY[2 * p + 1] / 1000);
            }
            return MaskPredictions.of(n, 1, h, w, logits, iou);
        }
    }

    @Test
    void batchesThePointGridAndOrdersByPredictedIou() {
        SquarePredictor predictor = new SquarePredictor();
        AmgParams params = AmgParams.defaults().withPointsPerSide(3).withPointsPerBatch(4).withThresholds(0.0, 0.0);
        List<MaskRecord> out = new AutomaticMaskGenerator(params).generate(40, 60, predictor);
        assertEquals(1, predictor.crops.size());
        assertArrayEquals(new int[] {0, 0, 60, 40}, predictor.crops.get(0));
        assertEquals(List.of(4, 4, 1), predictor.batches);
        // points x in {10, 30, 50}, y in {40/6, 20, 200/6}: nine separate squares, best IoU first
        assertEquals(9, out.size());
        assertArrayEquals(new double[] {50.0, 200.0 / 6}, out.get(0).point(), 1e-12);
        assertArrayEquals(new double[] {10.0, 40.0 / 6}, out.get(8).point(), 1e-12);
        assertEquals(49, out.get(0).area());
        assertArrayEquals(new int[] {47, 30, 53, 36}, out.get(0).box());
    }

    @Test
    void cropLayersVisitEveryCropWithItsOwnGrid() {
        SquarePredictor predictor = new SquarePredictor();
        AmgParams params = AmgParams.defaults().withPointsPerSide(4).withPointsPerBatch(64).withThresholds(0.0, 0.0)
                .withCrops(1, 2);
        new AutomaticMaskGenerator(params).generate(40, 60, predictor);
        CropBoxes expected = CropBoxes.generate(40, 60, 1, params.cropOverlapRatio());
        assertEquals(5, predictor.crops.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(expected.boxes().get(i), predictor.crops.get(i));
        }
        assertEquals(List.of(16, 4, 4, 4, 4), predictor.batches);
    }

    /**
     * box_nms_thresh as the reference applies it: one point, two masks whose boxes (XYXY inclusive,
     * [5, 5, 9, 7] and [5, 5, 7, 7], areas 8 and 4 as torchvision counts them) overlap with IoU 0.5
     * exactly; at a threshold of 0.5 both stay (suppressed only above it), just below it one goes.
     */
    @Test
    void boxNmsKeepsMasksWhoseIouEqualsTheThreshold() {
        CropPredictor twoRectangles = new CropPredictor() {
            @Override
            public void setCrop(int[] cropBox) {
            }

            @Override
            public MaskPredictions predict(double[] pointsXY) {
                float[] logits = new float[2 * 20 * 20];
                Arrays.fill(logits, -5f);
                for (int y = 5; y <= 7; y++) {
                    Arrays.fill(logits, y * 20 + 5, y * 20 + 10, 5f);
                    Arrays.fill(logits, 400 + y * 20 + 5, 400 + y * 20 + 8, 5f);
                }
                return MaskPredictions.of(1, 2, 20, 20, logits, new float[] {0.9f, 0.8f});
            }
        };
        assertEquals(2, new AutomaticMaskGenerator(boxNms(0.5)).generate(20, 20, twoRectangles).size());
        List<MaskRecord> below = new AutomaticMaskGenerator(boxNms(Math.nextDown(0.5))).generate(20, 20, twoRectangles);
        assertEquals(1, below.size());
        assertEquals(15, below.get(0).area());
    }

    /** One point, no score filters, the given box_nms_thresh; otherwise the reference's defaults. */
    private static AmgParams boxNms(double thresh) {
        AmgParams d = AmgParams.defaults();
        return new AmgParams(1, d.pointsPerBatch(), 0.0, 0.0, d.stabilityScoreOffset(), thresh, 0, d.cropNmsThresh(),
                d.cropOverlapRatio(), d.cropNPointsDownscaleFactor(), 0, d.maskThreshold());
    }

    @Test
    void annotationsCarryTheReferenceKeysInOrder() {
        BinaryMask m = BinaryMask.parse("0110", "0100", "0000");
        MaskRecord r = new MaskRecord(Rle.fromMask(m), Boxes.maskToBox(m), 0.75f, 0.5f, new double[] {1.5, 0.25},
                new int[] {0, 0, 4, 3});
        Map<String, Object> ann = Annotations.of(r, Annotations.OutputMode.UNCOMPRESSED_RLE);
        assertEquals(List.of("segmentation", "area", "bbox", "predicted_iou", "point_coords", "stability_score",
                "crop_box"), new ArrayList<>(ann.keySet()));
        assertEquals(Map.of("size", List.of(3, 4), "counts", List.of(3, 2, 1, 1, 5)), ann.get("segmentation"));
        assertEquals(3, ann.get("area"));
        assertEquals(List.of(1, 0, 1, 1), ann.get("bbox"));
        assertEquals(0.75, ann.get("predicted_iou"));
        assertEquals(List.of(List.of(1.5, 0.25)), ann.get("point_coords"));
        assertEquals(List.of(0, 0, 4, 3), ann.get("crop_box"));
        // the fourth run is written as 1 - 2 = -1: a single group of 31 with the sign bit, 'O'
        assertEquals(Map.of("size", List.of(3, 4), "counts", "321O4"),
                Annotations.segmentation(r, Annotations.OutputMode.COCO_RLE));
        assertEquals(m, Annotations.segmentation(r, Annotations.OutputMode.BINARY_MASK));
    }
}
