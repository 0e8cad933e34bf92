package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.Golden;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.AmgGolden.Bounds;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against the reference's own outputs (testdata/golden/tiny/amg_*.json): every RLE in them decodes,
 * re-encodes identically and has the stated area and box; the whole generator, from the synthetic
 * model's low-res logits through the library's own upsampling, thresholds and stability score,
 * reproduces the annotations in order within {@link #SYNTHETIC}; and so does it driving the tiny
 * random-weight model through {@link SamCropPredictor}, within the golden README's model bounds.
 */
class AmgGoldenTest {
    /**
     * The synthetic logits go through the library's own apply_coords, postprocess_masks, thresholds,
     * stability score and the rest; only float32 rounding may differ from PyTorch's. A pixel flips only
     * where an upsampled logit lies within a rounding error (about 1e-6) of a cutoff: a bilinear resize
     * rounding in another order (the test's own, before this seam) moved one pixel in 2 of the 1,202
     * masks and one pixel across a stability cutoff in 9 (stability off by at most 1.5e-4); the CPU
     * backend matches PyTorch bit for bit. So one pixel per mask, and one per stability cutoff. The
     * IoUs are the formula's, cast to float32 as the reference does: exact.
     */
    private static final Bounds SYNTHETIC = new Bounds(0.0, 1);

    @Test
    void cocoStringsOfTheCropsFileRoundTrip() {
        for (Map<String, Object> ann : AmgGolden.annotations(Golden.json("golden/tiny/amg_synthetic_crops.json"))) {
            Map<String, Object> seg = map(ann.get("segmentation"));
            int[] size = ints(seg.get("size"));
            String counts = (String) seg.get("counts");
            Rle rle = CocoRle.decode(counts, size[0], size[1]);
            BinaryMask mask = rle.toMask();
            assertEquals(counts, CocoRle.encode(Rle.fromMask(mask)));
            assertEquals(((Number) ann.get("area")).intValue(), rle.area());
            assertArrayEquals(ints(ann.get("bbox")), Boxes.xyxyToXywh(Boxes.maskToBox(mask)));
        }
    }

    @Test
    void uncompressedCountsOfTheDefaultFileRoundTrip() {
        List<Map<String, Object>> anns = AmgGolden.annotations(Golden.json("golden/tiny/amg_synthetic_default.json"));
        assertTrue(anns.size() > 100);
        for (Map<String, Object> ann : anns) {
            Map<String, Object> seg = map(ann.get("segmentation"));
            int[] size = ints(seg.get("size"));
            int[] counts = ints(seg.get("counts"));
            Rle rle = new Rle(size[0], size[1], counts);
            BinaryMask mask = rle.toMask();
            assertArrayEquals(counts, Rle.fromMask(mask).counts());
            assertEquals(((Number) ann.get("area")).intValue(), rle.area());
            assertEquals(mask.area(), rle.area());
            assertArrayEquals(ints(ann.get("bbox")), Boxes.xyxyToXywh(Boxes.maskToBox(mask)));
        }
    }

    @Test
    @Tag("slow")
    void generatorWithDefaultParametersMatchesTheReference() {
        compareSynthetic(Golden.json("golden/tiny/amg_synthetic_default.json"));
    }

    @Test
    @Tag("slow")
    void generatorWithCropsAndSmallRegionCleanupMatchesTheReference() {
        compareSynthetic(Golden.json("golden/tiny/amg_synthetic_crops.json"));
    }

    @Test
    @Tag("slow")
    void generatorWithTheTinyModelMatchesTheReference() {
        Map<String, Object> golden = Golden.json("golden/tiny/amg_model_smoke.json");
        int[] size = ints(golden.get("image_size"));
        try (Backend backend = Golden.backend()) {
            SamCropPredictor predictor = new SamCropPredictor(new SamPredictor(tinyModel(backend)), image(golden));
            compareGenerated(golden, predictor, Bounds.model(size[0], size[1]));
        }
    }

    /** The synthetic low-res model in place of the tiny model's prompt encoder and mask decoder. */
    private static void compareSynthetic(Map<String, Object> golden) {
        try (Backend backend = Golden.backend()) {
            SamCropPredictor predictor = new SamCropPredictor(tinyModel(backend), new SyntheticLowResModel(backend),
                    image(golden));
            compareGenerated(golden, predictor, SYNTHETIC);
        }
    }

    private static Sam tinyModel(Backend backend) {
        try {
            return Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), backend),
                    backend);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RgbImage image(Map<String, Object> golden) {
        try {
            return Images.read(Golden.testdata("images/" + golden.get("image")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the generator as the golden file's params say and compares its annotations within bounds. */
    private static void compareGenerated(Map<String, Object> golden, CropPredictor predictor, Bounds bounds) {
        int[] imageSize = ints(golden.get("image_size"));
        AmgParams params = params(map(golden.get("params")));
        List<MaskRecord> ours = new AutomaticMaskGenerator(params).generate(imageSize[0], imageSize[1], predictor);
        Annotations.OutputMode mode = "coco_rle".equals(map(golden.get("params")).get("output_mode"))
                ? Annotations.OutputMode.COCO_RLE : Annotations.OutputMode.UNCOMPRESSED_RLE;
        AmgGolden.assertMatches(AmgGolden.annotations(golden), Annotations.of(ours, mode), bounds);
    }

    private static AmgParams params(Map<String, Object> p) {
        AmgParams d = AmgParams.defaults();
        return new AmgParams(
                intOr(p, "points_per_side", d.pointsPerSide()),
                intOr(p, "points_per_batch", d.pointsPerBatch()),
                doubleOr(p, "pred_iou_thresh", d.predIouThresh()),
                doubleOr(p, "stability_score_thresh", d.stabilityScoreThresh()),
                doubleOr(p, "stability_score_offset", d.stabilityScoreOffset()),
                doubleOr(p, "box_nms_thresh", d.boxNmsThresh()),
                intOr(p, "crop_n_layers", d.cropNLayers()),
                doubleOr(p, "crop_nms_thresh", d.cropNmsThresh()),
                doubleOr(p, "crop_overlap_ratio", d.cropOverlapRatio()),
                intOr(p, "crop_n_points_downscale_factor", d.cropNPointsDownscaleFactor()),
                intOr(p, "min_mask_region_area", d.minMaskRegionArea()),
                d.maskThreshold());
    }

    private static int intOr(Map<String, Object> p, String key, int fallback) {
        return p.containsKey(key) ? ((Number) p.get(key)).intValue() : fallback;
    }

    private static double doubleOr(Map<String, Object> p, String key, double fallback) {
        return p.containsKey(key) ? ((Number) p.get(key)).doubleValue() : fallback;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }
}
