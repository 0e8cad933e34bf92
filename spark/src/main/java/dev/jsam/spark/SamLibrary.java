package dev.jsam.spark;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.SamAutomaticMaskGenerator;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.BinaryMask;
import dev.jsam.sam.amg.Boxes;
import dev.jsam.sam.amg.CocoRle;
import dev.jsam.sam.amg.CropBoxes;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.amg.Rle;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Backends;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place this module calls the jsam library: mapping a checkpoint, building a model on a
 * backend, decoding an image, segment-everything, prompts and COCO RLE. Everything else in the
 * module sees only the plain types declared here, so a change of the library's API touches this
 * file alone. Stateless; a {@link Model} is for one thread at a time.
 */
final class SamLibrary {
    /** Crop layers accepted, as `sam amg` (4 layers already cut an image into 341 crops). */
    static final int MAX_CROP_LAYERS = 4;

    /** One segment-everything mask, as the reference's scripts/amg.py writes it (XYWH boxes). */
    record Mask(int height, int width, String counts, int area, int[] bbox, double predictedIou,
                double stabilityScore, double[] point, int[] cropBox) {
    }

    /** One mask answering a prompt: COCO RLE, area, XYWH box and the predicted IoU. */
    record PromptMask(int height, int width, String counts, int area, int[] bbox, double predictedIou) {
    }

    /** A checkpoint mapped into memory once; models built from it share the mapping. */
    static final class Checkpoint {
        private final SafetensorsFile file;

        private Checkpoint(SafetensorsFile file) {
            this.file = file;
        }
    }

    /** A model on its own backend (device and threads), kept for the JVM's life; not thread-safe. */
    static final class Model {
        private final Sam sam;

        private Model(Sam sam) {
            this.sam = sam;
        }
    }

    /** A decoded RGB image. */
    static final class Image {
        private final RgbImage rgb;

        private Image(RgbImage rgb) {
            this.rgb = rgb;
        }
    }

    /** A model holding one image's embedding, ready for prompts. */
    static final class Encoded {
        private final SamPredictor predictor;

        private Encoded(SamPredictor predictor) {
            this.predictor = predictor;
        }
    }

    private SamLibrary() {
    }

    /** The reference's segment-everything defaults. */
    static AmgSettings defaults() {
        AmgParams d = AmgParams.defaults();
        return new AmgSettings(d.pointsPerSide(), d.pointsPerBatch(), d.predIouThresh(), d.stabilityScoreThresh(),
                d.stabilityScoreOffset(), d.boxNmsThresh(), d.cropNLayers(), d.cropNmsThresh(), d.cropOverlapRatio(),
                d.cropNPointsDownscaleFactor(), d.minMaskRegionArea());
    }

    /** Maps and validates a safetensors checkpoint; the error names the file. */
    static Checkpoint map(Path file) throws IOException {
        return new Checkpoint(SafetensorsFile.open(file));
    }

    /**
     * Opens and closes the backend a device string names, to check it: an IllegalArgumentException
     * for a malformed string, a RuntimeException naming what is missing for an unusable device.
     */
    static void checkDevice(String device) {
        Backends.open(device, 1).close();
    }

    /** A model over the mapped weights on the backend a device string names, with that many threads. */
    static Model model(Checkpoint checkpoint, String device, int threads) {
        Backend backend = Backends.open(device, threads);
        return new Model(Sam.fromSource(new SafetensorsSource(checkpoint.file, backend), backend));
    }

    /**
     * Decodes an image file's bytes exactly as `sam amg` reads a file ({@code Images.read}), by
     * way of a temporary file; an undecodable one is an IOException whose message names
     * {@code name} instead of that file.
     */
    static Image decode(String name, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile("jsam-spark-", ".image");
        try {
            Files.write(tmp, bytes);
            return new Image(Images.read(tmp));
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            m = m.startsWith(tmp + ": ") ? m.substring(tmp.toString().length() + 2) : m.replace(tmp.toString(), name);
            throw new IOException(m, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Why the crops of {@code s} cannot run on this image (the last layers' crops would be under
     * a pixel), naming how many layers fit, or null when they can.
     */
    static String cropPlanProblem(AmgSettings s, Image image) {
        int w = image.rgb.width();
        int h = image.rgb.height();
        int fit = s.cropNLayers();
        while (fit > 0 && hasEmptyCrop(CropBoxes.generate(h, w, fit, s.cropOverlapRatio()))) {
            fit--;
        }
        return fit == s.cropNLayers() ? null : "crop_n_layers " + s.cropNLayers() + " cuts this " + w + " x " + h
                + " image into crops smaller than a pixel; at most " + fit + " layer(s) fit";
    }

    private static boolean hasEmptyCrop(CropBoxes crops) {
        return crops.boxes().stream().anyMatch(b -> b[2] <= b[0] || b[3] <= b[1]);
    }

    /** Segment everything, the masks in the order `sam amg` writes them. */
    static List<Mask> segmentEverything(Model model, Image image, AmgSettings s) {
        AmgParams params = new AmgParams(s.pointsPerSide(), s.pointsPerBatch(), s.predIouThresh(),
                s.stabilityScoreThresh(), s.stabilityScoreOffset(), s.boxNmsThresh(), s.cropNLayers(), s.cropNmsThresh(),
                s.cropOverlapRatio(), s.cropNPointsDownscaleFactor(), s.minMaskRegionArea(),
                AmgParams.defaults().maskThreshold());
        SamAutomaticMaskGenerator generator = new SamAutomaticMaskGenerator(model.sam, params,
                Annotations.OutputMode.COCO_RLE);
        List<Mask> out = new ArrayList<>();
        for (MaskRecord r : generator.generate(image.rgb)) {
            out.add(new Mask(r.rle().height(), r.rle().width(), CocoRle.encode(r.rle()), r.area(), r.bboxXywh(),
                    r.predictedIou(), r.stabilityScore(), r.point().clone(), r.cropBoxXywh()));
        }
        return out;
    }

    /** Runs the image encoder once; the result answers any number of prompts. */
    static Encoded encode(Model model, Image image) {
        SamPredictor predictor = new SamPredictor(model.sam);
        predictor.setImage(image.rgb);
        return new Encoded(predictor);
    }

    /**
     * The masks for one prompt in image pixels: points (x0, y0, x1, y1 ...) with their labels
     * (1 foreground, 0 background) and a box (x0, y0, x1, y1), each may be null.
     *
     * @throws IllegalArgumentException for a malformed prompt, naming what is wrong
     */
    static List<PromptMask> predict(Encoded encoded, double[] points, int[] labels, double[] box, boolean multimask) {
        SamPredictor.Prediction p = encoded.predictor.predict(points, labels, box, null, multimask, false);
        int[] shape = p.masks().shape(); // C x H x W
        int h = shape[1];
        int w = shape[2];
        byte[] bits = p.masks().toByteArray();
        float[] iou = p.iouPredictions().toFloatArray();
        List<PromptMask> out = new ArrayList<>(shape[0]);
        for (int c = 0; c < shape[0]; c++) {
            boolean[] mask = new boolean[h * w];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = bits[c * mask.length + i] != 0;
            }
            Rle rle = Rle.fromMask(new BinaryMask(h, w, mask));
            out.add(new PromptMask(h, w, CocoRle.encode(rle), rle.area(),
                    Boxes.xyxyToXywh(Boxes.maskToBox(mask, h, w)), iou[c]));
        }
        return out;
    }
}
