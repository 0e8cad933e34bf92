package dev.jsam.cli;

import dev.jsam.sam.SamAutomaticMaskGenerator;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.io.Json;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * `sam amg`: segment everything in an image or a folder of images, writing what the reference's
 * scripts/amg.py writes (a folder of <i>.png masks and metadata.csv per image, or with
 * --convert-to-rle one <name>.json of COCO RLE records), plus an overlay per image.
 */
final class AmgCommand {
    static final String USAGE = """
            usage: sam amg --checkpoint C --input FILE_OR_FOLDER --output DIR [--convert-to-rle]
                           [--points-per-side 32] [--points-per-batch 64] [--pred-iou-thresh 0.88]
                           [--stability-score-thresh 0.95] [--stability-score-offset 1.0]
                           [--box-nms-thresh 0.7] [--crop-n-layers 0] [--crop-nms-thresh 0.7]
                           [--crop-overlap-ratio 0.3413] [--crop-n-points-downscale-factor 1]
                           [--min-mask-region-area 0] [--threads N] [--ignore-exif-orientation]
              Per image <name>: DIR/<name>/ with <i>.png, metadata.csv and overlay.png, or with
              --convert-to-rle DIR/<name>.json (COCO RLE) and DIR/<name>.overlay.png.
            """ + ImageInput.HELP;
    private static final Set<String> VALUED = Set.of("--checkpoint", "--input", "--output", "--points-per-side",
            "--points-per-batch", "--pred-iou-thresh", "--stability-score-thresh", "--stability-score-offset",
            "--box-nms-thresh", "--crop-n-layers", "--crop-nms-thresh", "--crop-overlap-ratio",
            "--crop-n-points-downscale-factor", "--min-mask-region-area", "--threads", "--device");
    static final String CSV_HEADER = "id,area,bbox_x0,bbox_y0,bbox_w,bbox_h,point_input_x,point_input_y,predicted_iou,"
            + "stability_score,crop_box_x0,crop_box_y0,crop_box_w,crop_box_h";

    private AmgCommand() {
    }

    static AmgParams params(Args a) {
        AmgParams d = AmgParams.defaults();
        int side = positive(a, "--points-per-side", d.pointsPerSide());
        int batch = positive(a, "--points-per-batch", d.pointsPerBatch());
        int layers = a.getInt("--crop-n-layers", d.cropNLayers());
        if (layers < 0) {
            throw new UsageException("--crop-n-layers must be >= 0, got " + layers);
        }
        int down = positive(a, "--crop-n-points-downscale-factor", d.cropNPointsDownscaleFactor());
        int minArea = a.getInt("--min-mask-region-area", d.minMaskRegionArea());
        if (minArea < 0) {
            throw new UsageException("--min-mask-region-area must be >= 0, got " + minArea);
        }
        double overlap = a.getDouble("--crop-overlap-ratio", d.cropOverlapRatio());
        if (overlap < 0 || overlap >= 1) {
            throw new UsageException("--crop-overlap-ratio must be in [0, 1), got " + overlap);
        }
        return new AmgParams(side, batch, a.getDouble("--pred-iou-thresh", d.predIouThresh()),
                a.getDouble("--stability-score-thresh", d.stabilityScoreThresh()),
                a.getDouble("--stability-score-offset", d.stabilityScoreOffset()),
                a.getDouble("--box-nms-thresh", d.boxNmsThresh()), layers,
                a.getDouble("--crop-nms-thresh", d.cropNmsThresh()), overlap, down, minArea, d.maskThreshold());
    }

    private static int positive(Args a, String flag, int dflt) {
        int v = a.getInt(flag, dflt);
        if (v < 1) {
            throw new UsageException(flag + " must be >= 1, got " + v);
        }
        return v;
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = Args.parse(argv, VALUED, Set.of("--convert-to-rle", "--help",
                ImageInput.IGNORE_EXIF_ORIENTATION));
        if (args.has("--help")) {
            out.print(USAGE);
            return 0;
        }
        AmgParams params = params(args);
        Path checkpoint = Path.of(args.require("--checkpoint"));
        Path input = Path.of(args.require("--input"));
        Path output = Path.of(args.require("--output"));
        boolean rle = args.has("--convert-to-rle");
        List<Path> targets = targets(input);
        Files.createDirectories(output);
        int failed = 0;
        try (Backend backend = ModelLoader.backend(args)) {
            Sam sam = ModelLoader.load(checkpoint, backend);
            SamAutomaticMaskGenerator generator = new SamAutomaticMaskGenerator(sam, params,
                    rle ? Annotations.OutputMode.COCO_RLE : Annotations.OutputMode.BINARY_MASK);
            for (int i = 0; i < targets.size(); i++) {
                Path t = targets.get(i);
                RgbImage image;
                try {
                    image = Images.read(t, ImageInput.orientation(args));
                } catch (IOException e) {
                    err.println("could not load " + t + " as an image, skipping: " + e.getMessage());
                    failed++;
                    continue;
                }
                String base = baseName(t);
                String label = "[" + (i + 1) + "/" + targets.size() + "] " + t.getFileName();
                long t0 = System.nanoTime();
                List<MaskRecord> masks = generator.generateRecords(image, new ProgressBar(err, label));
                err.printf("%n%s: %d masks in %.1f s%n", label, masks.size(), (System.nanoTime() - t0) / 1e9);
                if (rle) {
                    writeJsonAtomically(output.resolve(base + ".json"), Annotations.of(masks, Annotations.OutputMode.COCO_RLE));
                    writeOverlay(image, masks, output.resolve(base + ".overlay.png"));
                } else {
                    try (OutputDir dir = OutputDir.create(output.resolve(base), "metadata.csv")) {
                        writeFolder(dir, image, masks);
                        dir.commit();
                    }
                }
            }
        }
        err.println("done: " + (targets.size() - failed) + " image(s) written to " + output);
        return failed == targets.size() ? 1 : 0;
    }

    private static List<Path> targets(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new UsageException("--input " + input + " is neither a file nor a folder");
        }
        try (Stream<Path> s = Files.list(input)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
            if (files.isEmpty()) {
                throw new UsageException("--input " + input + " holds no files");
            }
            return files;
        }
    }

    static String baseName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static void writeFolder(OutputDir dir, RgbImage image, List<MaskRecord> masks) throws IOException {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
        for (int i = 0; i < masks.size(); i++) {
            MaskRecord m = masks.get(i);
            boolean[] bits = m.rle().toMask().data();
            byte[] grey = new byte[bits.length];
            for (int k = 0; k < bits.length; k++) {
                grey[k] = bits[k] ? (byte) 255 : 0;
            }
            Images.writeGreyPng(grey, image.width(), image.height(), dir.file(i + ".png"));
            int[] b = m.bboxXywh();
            int[] c = m.cropBoxXywh();
            csv.append(i).append(',').append(m.area()).append(',')
                    .append(b[0]).append(',').append(b[1]).append(',').append(b[2]).append(',').append(b[3]).append(',')
                    .append(PyFloat.repr(m.point()[0])).append(',').append(PyFloat.repr(m.point()[1])).append(',')
                    .append(PyFloat.repr(m.predictedIou())).append(',').append(PyFloat.repr(m.stabilityScore())).append(',')
                    .append(c[0]).append(',').append(c[1]).append(',').append(c[2]).append(',').append(c[3]).append('\n');
        }
        writeOverlay(image, masks, dir.file("overlay.png"));
        Files.writeString(dir.file("metadata.csv"), csv);
    }

    private static void writeOverlay(RgbImage image, List<MaskRecord> masks, Path file) throws IOException {
        List<byte[]> list = new ArrayList<>();
        for (MaskRecord m : masks) {
            boolean[] bits = m.rle().toMask().data();
            byte[] b = new byte[bits.length];
            for (int k = 0; k < bits.length; k++) {
                b[k] = (byte) (bits[k] ? 1 : 0);
            }
            list.add(b);
        }
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".partial");
        try {
            ImageIO.write(Overlay.draw(image, list, List.of(), List.of()), "png", tmp.toFile());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeJsonAtomically(Path file, Object value) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".partial");
        try {
            Files.writeString(tmp, Json.write(value));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
