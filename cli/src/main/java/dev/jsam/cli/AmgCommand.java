package dev.jsam.cli;

import dev.jsam.sam.SamAutomaticMaskGenerator;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.CropBoxes;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * `sam amg`: segment everything in an image or a folder of images, writing what the reference's
 * scripts/amg.py writes (a folder of <i>.png masks and metadata.csv per image, or with
 * --convert-to-rle one <name>.json of COCO RLE records), plus an overlay per image. Arguments,
 * the checkpoint, the outputs and (for a single image) the image and its crop plan are checked
 * before any output is created.
 */
final class AmgCommand {
    /** The most crop layers accepted: 4 layers cut an image into 1 + 4 + 16 + 64 + 256 = 341 crops. */
    static final int MAX_CROP_LAYERS = 4;
    private static final AmgParams D = AmgParams.defaults();
    static final CommandSpec SPEC = new CommandSpec("amg",
            "segment everything: masks for a grid of points over an image or a folder",
            """
            --checkpoint C --input FILE_OR_FOLDER --output DIR [--convert-to-rle]
                           [--points-per-side 32] [--points-per-batch 64] [--pred-iou-thresh 0.88]
                           [--stability-score-thresh 0.95] [--stability-score-offset 1.0]
                           [--box-nms-thresh 0.7] [--crop-n-layers 0] [--crop-nms-thresh 0.7]
                           [--crop-overlap-ratio 0.3413] [--crop-n-points-downscale-factor 1]
                           [--min-mask-region-area 0] [--threads N] [--device D]
                           [--memory-mb M] [--ignore-exif-orientation]""", 0, List.of(
            CommandSpec.CHECKPOINT,
            CommandSpec.Option.valued("--input", "PATH", "an image, or a folder of images (other files are skipped)"),
            CommandSpec.Option.valued("--output", "DIR", "the folder the results go in (created)"),
            CommandSpec.Option.flag("--convert-to-rle", "write COCO RLE JSON instead of a PNG per mask"),
            CommandSpec.Option.valued("--points-per-side", "N", "the point grid is N x N (" + D.pointsPerSide() + ")"),
            CommandSpec.Option.valued("--points-per-batch", "N", "points the model runs at once (" + D.pointsPerBatch() + ")"),
            CommandSpec.Option.valued("--pred-iou-thresh", "T", "keep masks whose predicted IoU is above T ("
                    + D.predIouThresh() + ")"),
            CommandSpec.Option.valued("--stability-score-thresh", "T", "keep masks whose stability score is above T ("
                    + D.stabilityScoreThresh() + ")"),
            CommandSpec.Option.valued("--stability-score-offset", "V", "logit offset of the stability score ("
                    + D.stabilityScoreOffset() + ")"),
            CommandSpec.Option.valued("--box-nms-thresh", "T", "box IoU above which duplicates are dropped ("
                    + D.boxNmsThresh() + ")"),
            CommandSpec.Option.valued("--crop-n-layers", "N", "also run on crops: layer i cuts 2^i x 2^i crops, N is 0.."
                    + MAX_CROP_LAYERS + " (" + D.cropNLayers() + ")"),
            CommandSpec.Option.valued("--crop-nms-thresh", "T", "box IoU between crops' masks above which duplicates are dropped ("
                    + D.cropNmsThresh() + ")"),
            CommandSpec.Option.valued("--crop-overlap-ratio", "R", "overlap of neighbouring crops, 0 <= R < 1 (0.3413)"),
            CommandSpec.Option.valued("--crop-n-points-downscale-factor", "F", "layer i samples (points per side) / F^i ("
                    + D.cropNPointsDownscaleFactor() + ")"),
            CommandSpec.Option.valued("--min-mask-region-area", "A", "remove islands and holes smaller than A pixels ("
                    + D.minMaskRegionArea() + ")"),
            CommandSpec.THREADS, CommandSpec.DEVICE, MemoryBudget.OPTION, ImageInput.OPTION), """
            Per image NAME (the file name without its extension; the whole file name where two images
            would share one): DIR/NAME/ with <i>.png, metadata.csv and overlay.png, or with
            --convert-to-rle DIR/NAME.json (COCO RLE) and DIR/NAME.overlay.png. An image that would need
            more heap than --memory-mb (README, "Memory") is refused before any work (in a folder,
            skipped with a line).""");

    private AmgCommand() {
    }

    static AmgParams params(Args a) {
        int side = positive(a, "--points-per-side", D.pointsPerSide());
        int batch = positive(a, "--points-per-batch", D.pointsPerBatch());
        int layers = a.getInt("--crop-n-layers", D.cropNLayers());
        if (layers < 0 || layers > MAX_CROP_LAYERS) {
            throw new UsageException("--crop-n-layers must be 0.." + MAX_CROP_LAYERS + " (" + MAX_CROP_LAYERS
                    + " layers already make 341 crops), got " + layers);
        }
        int down = positive(a, "--crop-n-points-downscale-factor", D.cropNPointsDownscaleFactor());
        int minArea = a.getInt("--min-mask-region-area", D.minMaskRegionArea());
        if (minArea < 0) {
            throw new UsageException("--min-mask-region-area must be >= 0, got " + minArea);
        }
        double overlap = a.getDouble("--crop-overlap-ratio", D.cropOverlapRatio());
        if (overlap < 0 || overlap >= 1) {
            throw new UsageException("--crop-overlap-ratio must be in [0, 1), got " + overlap);
        }
        return new AmgParams(side, batch, a.getDouble("--pred-iou-thresh", D.predIouThresh()),
                a.getDouble("--stability-score-thresh", D.stabilityScoreThresh()),
                a.getDouble("--stability-score-offset", D.stabilityScoreOffset()),
                a.getDouble("--box-nms-thresh", D.boxNmsThresh()), layers,
                a.getDouble("--crop-nms-thresh", D.cropNmsThresh()), overlap, down, minArea, D.maskThreshold());
    }

    private static int positive(Args a, String flag, int dflt) {
        int v = a.getInt(flag, dflt);
        if (v < 1) {
            throw new UsageException(flag + " must be >= 1, got " + v);
        }
        return v;
    }

    /**
     * Why the crops planned for a width x height image cannot run (a crop of the last layers would
     * be under a pixel, or outside the image), or null when they can.
     */
    static String cropPlanProblem(AmgParams p, int width, int height) {
        int usable = p.cropNLayers();
        while (usable > 0 && !cropsFit(p, usable, width, height)) {
            usable--;
        }
        if (usable == p.cropNLayers()) {
            return null;
        }
        return "--crop-n-layers " + p.cropNLayers() + " cuts this " + width + " x " + height
                + " image into crops smaller than a pixel; at most " + usable + " layer(s) fit";
    }

    private static boolean cropsFit(AmgParams p, int layers, int width, int height) {
        for (int[] b : CropBoxes.generate(height, width, layers, p.cropOverlapRatio()).boxes()) {
            if (b[2] <= b[0] || b[3] <= b[1]) {
                return false;
            }
        }
        return true;
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = SPEC.parse(argv);
        AmgParams params = params(args);
        Path checkpoint = Inputs.file("--checkpoint", args.require("--checkpoint"));
        String inputArg = args.require("--input");
        Path output = Path.of(args.require("--output"));
        Inputs.outputFolder("--output", output);
        boolean rle = args.has("--convert-to-rle");
        List<Path> targets = targets(Path.of(inputArg));
        Map<Path, String> names = AmgNames.of(targets, err);
        if (!rle) {
            for (String name : names.values()) {
                OutputDir.check("--output", output.resolve(name), AmgWriter.MARKER);
            }
        }
        MemoryBudget budget = MemoryBudget.of(args);
        ExifOrientation orientation = ImageInput.orientation(args);
        ImageHeader singleHeader = null;
        if (Files.isRegularFile(Path.of(inputArg))) {
            singleHeader = Inputs.imageHeader("--input", inputArg, orientation);
            String problem = cropPlanProblem(params, singleHeader.width(), singleHeader.height());
            if (problem != null) {
                throw new UsageException(problem);
            }
        }
        int failed = 0;
        try (Backend backend = ModelLoader.backend(args)) {
            Sam sam = ModelLoader.load(checkpoint, backend);
            RgbImage single = null;
            if (singleHeader != null) {
                budget.require(MemoryBudget.amg(sam.config(), singleHeader, params), "segmenting everything in this "
                        + singleHeader.width() + " x " + singleHeader.height() + " image");
                single = Inputs.image("--input", inputArg, orientation);
            }
            Files.createDirectories(output);
            Partials.sweep(output);
            SamAutomaticMaskGenerator generator = new SamAutomaticMaskGenerator(sam, params,
                    rle ? Annotations.OutputMode.COCO_RLE : Annotations.OutputMode.BINARY_MASK);
            for (int i = 0; i < targets.size(); i++) {
                Path t = targets.get(i);
                RgbImage image = single != null ? single : readOrSkip(t, params, orientation, sam, budget, err);
                if (image == null) {
                    failed++;
                    continue;
                }
                String label = "[" + (i + 1) + "/" + targets.size() + "] " + t.getFileName();
                long t0 = System.nanoTime();
                List<MaskRecord> masks = generator.generate(image, new ProgressBar(err, label));
                err.printf("%n%s: %d masks in %.1f s%n", label, masks.size(), (System.nanoTime() - t0) / 1e9);
                if (masks.isEmpty()) {
                    err.println(label + ": " + noMasksHint(params));
                }
                if (rle) {
                    AmgWriter.writeRle(output, names.get(t), image, masks);
                } else {
                    AmgWriter.writeFolder(output.resolve(names.get(t)), image, masks);
                }
            }
        }
        err.println("done: " + (targets.size() - failed) + " image(s) written to " + output);
        return failed == targets.size() ? 1 : 0;
    }

    /**
     * An image of a folder, or null (with a line on err) when it is not one, its crops cannot run,
     * or it would need more memory than the budget.
     */
    private static RgbImage readOrSkip(Path file, AmgParams params, ExifOrientation orientation, Sam sam,
                                       MemoryBudget budget, PrintStream err) {
        try {
            ImageHeader header = Images.header(file, orientation);
            String problem = cropPlanProblem(params, header.width(), header.height());
            if (problem == null) {
                budget.require(MemoryBudget.amg(sam.config(), header, params), "segmenting everything in this "
                        + header.width() + " x " + header.height() + " image");
                return Images.read(file, orientation);
            }
            err.println("skipping " + file + ": " + problem);
        } catch (UsageException e) {
            err.println("skipping " + file + ": " + e.getMessage());
        } catch (IOException e) {
            err.println("could not load " + file + " as an image, skipping: " + ErrorLine.of(e));
        }
        return null;
    }

    /** What to say when no mask was kept: the thresholds that dropped them and how to keep more. */
    static String noMasksHint(AmgParams p) {
        List<String> limits = new ArrayList<>();
        if (p.predIouThresh() > 0) {
            limits.add("--pred-iou-thresh " + p.predIouThresh());
        }
        if (p.stabilityScoreThresh() > 0) {
            limits.add("--stability-score-thresh " + p.stabilityScoreThresh());
        }
        if (p.minMaskRegionArea() > 0) {
            limits.add("--min-mask-region-area " + p.minMaskRegionArea());
        }
        return limits.isEmpty() ? "no masks found"
                : "no mask passed " + String.join(", ", limits) + "; lower them to keep more masks";
    }

    private static List<Path> targets(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            throw new UsageException("--input " + input + ": no such file or folder");
        }
        try (Stream<Path> s = Files.list(input)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
            if (files.isEmpty()) {
                throw new UsageException("--input " + input + ": the folder holds no files");
            }
            return files;
        }
    }
}
