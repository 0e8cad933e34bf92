package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.Golden;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Against the reference's own outputs (testdata/golden/tiny/amg_synthetic_*.json): every RLE in them
 * decodes, re-encodes identically and has the stated area and box; and the whole generator, driven
 * by the synthetic predictor, reproduces the annotations in order, masks to within 0.01 % of pixels;
 * and so does it driving the tiny random-weight model through {@link SamCropPredictor}.
 */
class AmgGoldenTest {

    @Test
    void cocoStringsOfTheCropsFileRoundTrip() throws IOException {
        for (Map<String, Object> ann : annotations(load("amg_synthetic_crops.json"))) {
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
    void uncompressedCountsOfTheDefaultFileRoundTrip() throws IOException {
        List<Map<String, Object>> anns = annotations(load("amg_synthetic_default.json"));
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
    void generatorWithDefaultParametersMatchesTheReference() throws IOException {
        compareGenerated(load("amg_synthetic_default.json"), new SyntheticPredictor(), 0.0);
    }

    @Test
    @Tag("slow")
    void generatorWithCropsAndSmallRegionCleanupMatchesTheReference() throws IOException {
        compareGenerated(load("amg_synthetic_crops.json"), new SyntheticPredictor(), 0.0);
    }

    @Test
    @Tag("slow")
    void generatorWithTheTinyModelMatchesTheReference() throws IOException {
        Map<String, Object> golden = load("amg_model_smoke.json");
        Path weights = Path.of(System.getProperty("jsam.testdata", "../testdata"), "golden", "tiny", "sam_tiny.safetensors");
        Path image = Path.of(System.getProperty("jsam.testdata", "../testdata"), "images", (String) golden.get("image"));
        try (Backend backend = Golden.backend()) {
            Sam sam = Sam.fromSource(SafetensorsSource.open(weights, backend), backend);
            SamCropPredictor predictor = new SamCropPredictor(new SamPredictor(sam), Images.read(image));
            compareGenerated(golden, predictor, 1e-5);
        }
    }

    /** Runs the generator as the golden file's params say and compares, IoUs within iouTolerance. */
    private static void compareGenerated(Map<String, Object> golden, CropPredictor predictor, double iouTolerance) {
        int[] imageSize = ints(golden.get("image_size"));
        int h = imageSize[0];
        int w = imageSize[1];
        AmgParams params = params(map(golden.get("params")));
        List<MaskRecord> ours = new AutomaticMaskGenerator(params).generate(h, w, predictor);
        List<Map<String, Object>> theirs = annotations(golden);
        Annotations.OutputMode mode = "coco_rle".equals(map(golden.get("params")).get("output_mode"))
                ? Annotations.OutputMode.COCO_RLE : Annotations.OutputMode.UNCOMPRESSED_RLE;
        assertEquals(theirs.size(), ours.size(), "number of masks");
        List<String> problems = new ArrayList<>();
        int maxPixels = (int) (1e-4 * h * w);
        for (int i = 0; i < ours.size(); i++) {
            MaskRecord r = ours.get(i);
            Map<String, Object> ann = theirs.get(i);
            double[] point = doubles(((List<?>) ann.get("point_coords")).get(0));
            if (!Arrays.equals(point, r.point())
                    || !Arrays.equals(ints(ann.get("crop_box")), r.cropBoxXywh())
                    || Math.abs(((Number) ann.get("predicted_iou")).doubleValue() - r.predictedIou()) > iouTolerance) {
                problems.add("#" + i + ": another mask: point " + Arrays.toString(r.point())
                        + " iou " + r.predictedIou() + " vs " + ann.get("point_coords") + " " + ann.get("predicted_iou"));
                continue;
            }
            BinaryMask expected = goldenMask(map(ann.get("segmentation")));
            int diff = 0;
            boolean[] a = expected.data();
            boolean[] b = r.rle().toMask().data();
            for (int k = 0; k < a.length; k++) {
                if (a[k] != b[k]) {
                    diff++;
                }
            }
            double stability = ((Number) ann.get("stability_score")).doubleValue();
            int[] bbox = ints(ann.get("bbox"));
            int[] ourBox = r.bboxXywh();
            boolean boxClose = true;
            for (int k = 0; k < 4; k++) {
                boxClose &= Math.abs(bbox[k] - ourBox[k]) <= 1;
            }
            if (diff > maxPixels || Math.abs(stability - r.stabilityScore()) > 5e-4 || !boxClose) {
                problems.add("#" + i + ": " + diff + " pixels differ, stability " + r.stabilityScore() + " vs "
                        + stability + ", bbox " + Arrays.toString(ourBox) + " vs " + ann.get("bbox"));
            } else if (diff == 0) {
                Map<String, Object> mine = Annotations.of(r, mode);
                for (String key : List.of("segmentation", "area", "bbox")) {
                    if (!Json.write(mine.get(key)).equals(Json.write(ann.get(key)))) {
                        problems.add("#" + i + ": same mask but another " + key);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " of " + ours.size() + " masks differ:\n"
                + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
    }

    private static BinaryMask goldenMask(Map<String, Object> seg) {
        int[] size = ints(seg.get("size"));
        Object counts = seg.get("counts");
        Rle rle = counts instanceof String s ? CocoRle.decode(s, size[0], size[1]) : new Rle(size[0], size[1], ints(counts));
        return rle.toMask();
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

    private static Map<String, Object> load(String name) throws IOException {
        Path file = Path.of(System.getProperty("jsam.testdata", "../testdata"), "golden", "tiny", name);
        return map(Json.parse(Files.readString(file)));
    }

    private static List<Map<String, Object>> annotations(Map<String, Object> golden) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<?>) golden.get("annotations")) {
            out.add(map(o));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
    }
}
