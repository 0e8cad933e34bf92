package dev.jsam.spark;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.MemoryModel;
import dev.jsam.sam.SamAutomaticMaskGenerator;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.BinaryMask;
import dev.jsam.sam.amg.Boxes;
import dev.jsam.sam.amg.CocoRle;
import dev.jsam.sam.amg.CropBoxes;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.amg.Rle;
import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Backends;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place this module calls the jsam library: mapping a checkpoint (a .pth converted first,
 * as `sam amg` takes it), building a model on a backend, reading an image file's header and
 * pixels, the memory segment-everything needs, segment-everything, prompts and COCO RLE.
 * Everything else in the module sees only the plain types declared here, so a change of the
 * library's API touches this file alone. Stateless; a {@link Model} is for one thread at a time.
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

    /**
     * A checkpoint mapped into memory once, with the configuration its shapes describe; models
     * built from it share the mapping.
     */
    static final class Checkpoint {
        private final SafetensorsFile file;
        private final SamConfig config;

        private Checkpoint(SafetensorsFile file, SamConfig config) {
            this.file = file;
            this.config = config;
        }

        /** The model's name: vit_b, hq_vit_t ... */
        String modelName() {
            return config.name();
        }

        /** Whether it is an HQ-SAM model. */
        boolean hq() {
            return config.hq();
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

    /**
     * An image file's bytes in a temporary file (the library reads files), removed by close; its
     * errors name the image instead of that file. One per thread.
     */
    static final class ImageFile implements AutoCloseable {
        private final String name;
        private final Path tmp;
        private final ExifOrientation orientation;

        private ImageFile(String name, Path tmp, ExifOrientation orientation) {
            this.name = name;
            this.tmp = tmp;
            this.orientation = orientation;
        }

        /** The upright width and height and what decoding takes, from the header alone. */
        Header header() throws IOException {
            try {
                return new Header(Images.header(tmp, orientation));
            } catch (IOException e) {
                throw renamed(e);
            }
        }

        /** The pixels, as `sam amg` reads a file ({@code Images.read}). */
        Image read() throws IOException {
            try {
                return new Image(Images.read(tmp, orientation));
            } catch (IOException e) {
                throw renamed(e);
            }
        }

        private IOException renamed(IOException e) {
            String m = String.valueOf(e.getMessage());
            m = m.startsWith(tmp + ": ") ? m.substring(tmp.toString().length() + 2) : m.replace(tmp.toString(), name);
            return new IOException(m, e);
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(tmp);
        }
    }

    /** What an image file's header says: its upright size and the heap decoding it takes. */
    static final class Header {
        private final ImageHeader header;

        private Header(ImageHeader header) {
            this.header = header;
        }

        int width() {
            return header.width();
        }

        int height() {
            return header.height();
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

    /**
     * Maps and validates a checkpoint as the library's loader does: a safetensors file, or a
     * PyTorch .pth converted once into a temporary safetensors file (removed once mapped); the
     * mapping lives while the Checkpoint is referenced; the error names the file.
     */
    static Checkpoint map(Path checkpoint) throws IOException {
        SafetensorsFile file = Sam.mapCheckpoint(checkpoint, Arena.ofAuto());
        Map<String, int[]> shapes = new HashMap<>();
        for (String name : file.names()) {
            shapes.put(name, file.get(name).shape());
        }
        return new Checkpoint(file, SamConfig.infer(shapes));
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
     * An image file's bytes, to be read as `sam amg` reads a file: upright by its EXIF orientation
     * unless {@code ignoreExifOrientation}; errors name {@code name}.
     */
    static ImageFile imageFile(String name, byte[] bytes, boolean ignoreExifOrientation) throws IOException {
        Path tmp = Files.createTempFile("jsam-spark-", ".image");
        try {
            Files.write(tmp, bytes);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new ImageFile(name, tmp, ignoreExifOrientation ? ExifOrientation.IGNORE : ExifOrientation.APPLY);
    }

    /**
     * Why segment-everything on this image would need more than {@code budget} bytes of heap by
     * jsam's memory model (decoding it, then generating its masks), or null when it fits.
     */
    static String memoryProblem(Checkpoint checkpoint, Header image, AmgSettings s, long budget) {
        long need = MemoryModel.amgBytes(checkpoint.config, image.header, params(s));
        return need <= budget ? null : "segmenting everything in this " + image.width() + " x " + image.height()
                + " image needs about " + megabytes(need) + " MB of memory, over the budget of " + megabytes(budget)
                + " MB (memory_mb; raise it with the executor's memory)";
    }

    private static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /**
     * Why the crops of {@code s} cannot run on this image (the last layers' crops would be under
     * a pixel), naming how many layers fit, or null when they can.
     */
    static String cropPlanProblem(AmgSettings s, Header image) {
        int w = image.width();
        int h = image.height();
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
        SamAutomaticMaskGenerator generator = new SamAutomaticMaskGenerator(model.sam, params(s),
                Annotations.OutputMode.COCO_RLE);
        List<Mask> out = new ArrayList<>();
        for (MaskRecord r : generator.generate(image.rgb)) {
            out.add(new Mask(r.rle().height(), r.rle().width(), CocoRle.encode(r.rle()), r.area(), r.bboxXywh(),
                    r.predictedIou(), r.stabilityScore(), r.point().clone(), r.cropBoxXywh()));
        }
        return out;
    }

    private static AmgParams params(AmgSettings s) {
        return new AmgParams(s.pointsPerSide(), s.pointsPerBatch(), s.predIouThresh(), s.stabilityScoreThresh(),
                s.stabilityScoreOffset(), s.boxNmsThresh(), s.cropNLayers(), s.cropNmsThresh(), s.cropOverlapRatio(),
                s.cropNPointsDownscaleFactor(), s.minMaskRegionArea(), AmgParams.defaults().maskThreshold());
    }

    /**
     * Runs the image encoder once; the result answers any number of prompts, for an HQ-SAM model
     * with the HQ token's mask alone when {@code hqTokenOnly}.
     */
    static Encoded encode(Model model, Image image, boolean hqTokenOnly) {
        SamPredictor predictor = new SamPredictor(model.sam);
        predictor.setHqTokenOnly(hqTokenOnly);
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
