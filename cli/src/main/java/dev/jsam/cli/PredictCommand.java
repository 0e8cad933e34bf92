package dev.jsam.cli;

import dev.jsam.sam.ImageEmbedding;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `sam predict`: one image, prompts from flags, results in a folder (result.safetensors,
 * result.json, mask_<i>.png, overlay.png). Several --box flags make a batch, one prompt per box,
 * the points (if any) shared by every box.
 */
final class PredictCommand {
    /** The largest |coordinate| accepted, in image pixels: far beyond any image, well inside float32. */
    static final double MAX_COORDINATE = 1e6;
    static final CommandSpec SPEC = new CommandSpec("predict", "masks for points, boxes and mask inputs on one image",
            """
            --checkpoint C --image I [--point X,Y[,LABEL]]... [--box X0,Y0,X1,Y1]...
                               [--mask-input F] [--multimask | --single] [--logits] [--embedding E]
                               [--hq-token-only] --out DIR [--threads N] [--device D]
                               [--ignore-exif-orientation]""", 0, List.of(
            CommandSpec.CHECKPOINT,
            CommandSpec.IMAGE,
            CommandSpec.Option.valued("--point", "X,Y[,LABEL]",
                    "a point in image pixels; LABEL 1 = foreground (default), 0 = background"),
            CommandSpec.Option.valued("--box", "X0,Y0,X1,Y1", "a box in image pixels; several boxes = one prompt per box"),
            CommandSpec.Option.valued("--mask-input", "F",
                    "low-res logits: an earlier result.safetensors (its best mask) or one (1, 256, 256) tensor"),
            CommandSpec.Option.flag("--multimask", "three masks per prompt (the default; HQ-SAM: the best of them)"),
            CommandSpec.Option.flag("--single", "one mask per prompt"),
            CommandSpec.Option.flag("--logits", "also write the float mask logits (mask_logits)"),
            CommandSpec.Option.flag("--hq-token-only", "HQ-SAM: the HQ token's mask alone, not added to SAM's"),
            CommandSpec.Option.valued("--embedding", "E", "an embedding written by `sam embed`, instead of running the encoder"),
            CommandSpec.Option.valued("--out", "DIR", "output folder (created; an earlier result there is replaced)"),
            CommandSpec.THREADS, CommandSpec.DEVICE, ImageInput.OPTION), """
            Coordinates are image pixels within -1e6..1e6. DIR gets result.safetensors, result.json
            (the best mask of each prompt marked "best": true), mask_<i>.png and overlay.png; it
            appears whole or not at all. An HQ-SAM checkpoint answers one mask per prompt.""");

    private PredictCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = SPEC.parse(argv);
        return run(args, err, null);
    }

    /** Runs with parsed args; note (if not null) is added to result.json and printed. */
    static int run(Args args, PrintStream err, String note) throws IOException {
        Path checkpoint = Inputs.file("--checkpoint", args.require("--checkpoint"));
        Path imagePath = Inputs.file("--image", args.require("--image"));
        Path outPath = Path.of(args.require("--out"));
        if (args.has("--multimask") && args.has("--single")) {
            throw new UsageException("--multimask and --single exclude each other");
        }
        boolean multimask = !args.has("--single");
        boolean logits = args.has("--logits");
        List<double[]> points = new ArrayList<>();
        for (String p : args.all("--point")) {
            double[] v = coordinates("--point", p, 2, 3);
            double label = v.length == 3 ? v[2] : 1;
            if (label != 0 && label != 1) {
                throw new UsageException("--point " + p + ": LABEL must be 1 (foreground) or 0 (background)");
            }
            points.add(new double[] {v[0], v[1], label});
        }
        List<double[]> boxes = new ArrayList<>();
        for (String b : args.all("--box")) {
            double[] v = coordinates("--box", b, 4, 4);
            if (v[2] < v[0] || v[3] < v[1]) {
                throw new UsageException("--box " + b + ": needs X0 <= X1 and Y0 <= Y1");
            }
            boxes.add(v);
        }
        String maskInputFile = args.get("--mask-input");
        if (points.isEmpty() && boxes.isEmpty() && maskInputFile == null) {
            throw new UsageException("give at least one prompt: --point, --box or --mask-input");
        }
        if (maskInputFile != null) {
            Inputs.file("--mask-input", maskInputFile);
        }
        if (args.get("--embedding") != null) {
            Inputs.file("--embedding", args.get("--embedding"));
        }
        OutputDir.check("--out", outPath, "result.json");
        RgbImage image = Inputs.image("--image", imagePath.toString(), ImageInput.orientation(args));
        try (OutputDir dir = OutputDir.create("--out", outPath, "result.json"); Backend backend = ModelLoader.backend(args)) {
            Tensor maskInput = maskInputFile == null ? null : readMaskInput(Path.of(maskInputFile), backend);
            long t0 = System.nanoTime();
            Sam sam = ModelLoader.load(checkpoint, backend);
            long t1 = System.nanoTime();
            err.printf("loaded %s (%s) in %.2f s%n", checkpoint, sam.config().name(), (t1 - t0) / 1e9);
            SamPredictor predictor = new SamPredictor(sam);
            if (args.has("--hq-token-only")) {
                if (!sam.config().hq()) {
                    throw new UsageException("--hq-token-only applies to HQ-SAM checkpoints; " + checkpoint + " is "
                            + sam.config().name() + ", with SAM's mask decoder");
                }
                predictor.setHqTokenOnly(true);
            }
            String embeddingFile = args.get("--embedding");
            if (embeddingFile != null) {
                predictor.setEmbedding(readEmbedding(Path.of(embeddingFile), backend, sam, image, imagePath));
            } else {
                err.print("encoding image ... ");
                err.flush();
                predictor.setImage(image);
            }
            long t2 = System.nanoTime();
            if (embeddingFile == null) {
                err.printf("%.2f s%n", (t2 - t1) / 1e9);
            }
            Tensor masks;
            Tensor iou;
            Tensor lowRes;
            if (boxes.size() > 1) {
                SamPredictor.BatchPrediction b = predictBatch(predictor, points, boxes, maskInput, multimask, logits);
                masks = b.masks();
                iou = b.iouPredictions();
                lowRes = b.lowResLogits();
            } else {
                double[] coords = null;
                int[] labels = null;
                if (!points.isEmpty()) {
                    coords = new double[2 * points.size()];
                    labels = new int[points.size()];
                    for (int i = 0; i < points.size(); i++) {
                        coords[2 * i] = points.get(i)[0];
                        coords[2 * i + 1] = points.get(i)[1];
                        labels[i] = (int) points.get(i)[2];
                    }
                }
                SamPredictor.Prediction p = predictor.predict(coords, labels, boxes.isEmpty() ? null : boxes.get(0),
                        maskInput, multimask, logits);
                masks = p.masks();
                iou = p.iouPredictions();
                lowRes = p.lowResLogits();
            }
            long t3 = System.nanoTime();
            err.printf("decoded %d mask(s) in %.3f s%n", masks.numel() / ((long) image.width() * image.height()),
                    (t3 - t2) / 1e9);
            ResultWriter.Timings timings = new ResultWriter.Timings((t1 - t0) / 1e6,
                    embeddingFile == null ? (t2 - t1) / 1e6 : 0, (t3 - t2) / 1e6);
            ResultWriter.write(dir, image, imagePath, sam.config().name(), points, boxes, maskInputFile, embeddingFile,
                    multimask, masks, iou, lowRes, logits, timings, note);
            dir.commit();
            err.println("wrote " + dir.target());
        }
        return 0;
    }

    /** Parses "x,y..." like {@link Args#numbers}, refusing values outside +-{@link #MAX_COORDINATE}. */
    private static double[] coordinates(String flag, String value, int min, int max) {
        double[] v = Args.numbers(flag, value, min, max);
        for (double d : v) {
            if (Math.abs(d) > MAX_COORDINATE) {
                throw new UsageException(flag + " " + value + ": coordinates must lie within -1e6..1e6 pixels");
            }
        }
        return v;
    }

    private static SamPredictor.BatchPrediction predictBatch(SamPredictor predictor, List<double[]> points,
                                                             List<double[]> boxes, Tensor maskInput, boolean multimask,
                                                             boolean logits) {
        ImageEmbedding e = predictor.getImageEmbedding();
        Backend be = predictor.model().backend();
        int b = boxes.size();
        int n = points.size();
        float[] boxData = new float[4 * b];
        for (int i = 0; i < b; i++) {
            double[] t = predictor.transform().applyBoxes(boxes.get(i), e.originalH(), e.originalW());
            for (int k = 0; k < 4; k++) {
                boxData[4 * i + k] = (float) t[k];
            }
        }
        Tensor coords = null;
        int[][] labels = null;
        if (n > 0) {
            double[] xy = new double[2 * n];
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                xy[2 * i] = points.get(i)[0];
                xy[2 * i + 1] = points.get(i)[1];
                l[i] = (int) points.get(i)[2];
            }
            double[] t = predictor.transform().applyCoords(xy, e.originalH(), e.originalW());
            float[] f = new float[2 * n];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) t[i];
            }
            coords = Tensor.of(be, f, 1, n, 2).expand(b, n, 2);
            labels = new int[b][];
            for (int i = 0; i < b; i++) {
                labels[i] = l.clone();
            }
        }
        Tensor masks = maskInput == null ? null : maskInput.unsqueeze(0).expand(b, 1, maskInput.dim(1), maskInput.dim(2));
        return predictor.predictTorch(coords, labels, Tensor.of(be, boxData, b, 4), masks, multimask, logits);
    }

    /** The --embedding file, checked against the model and the image: bad ones are usage errors (exit 2). */
    private static ImageEmbedding readEmbedding(Path file, Backend backend, Sam sam, RgbImage image, Path imagePath) {
        ImageEmbedding e;
        try {
            e = ImageEmbedding.load(file, backend);
        } catch (IOException ex) {
            throw new UsageException("--embedding " + ex.getMessage());
        }
        if (!e.model().equals(sam.id())) {
            throw new UsageException("--embedding " + file + " was computed by model " + e.model() + ", not by "
                    + sam.id() + " (the --checkpoint); run `sam embed` with this checkpoint");
        }
        if (e.originalH() != image.height() || e.originalW() != image.width()) {
            throw new UsageException("--embedding " + file + " was computed for a " + e.originalW() + "x"
                    + e.originalH() + " image, but " + imagePath + " is " + image.width() + "x" + image.height());
        }
        return e;
    }

    /** Low-res logits (1, 256, 256) from a file: a result.safetensors (best IoU) or a single tensor. */
    static Tensor readMaskInput(Path file, Backend backend) throws IOException {
        SafetensorsFile f;
        try {
            f = SafetensorsFile.open(file);
        } catch (IOException e) {
            throw new UsageException(Inputs.named("--mask-input", file.toString(), ErrorLine.of(e)));
        }
        if (f.contains("low_res_logits") && f.contains("iou_predictions")) {
            Tensor low = copy(f.get("low_res_logits"), backend);
            float[] iou = copy(f.get("iou_predictions"), backend).toFloatArray();
            if (low.rank() != 3) {
                throw new UsageException("--mask-input " + file + ": low_res_logits of a batch; pass a single-prompt result");
            }
            return low.narrow(0, ResultWriter.best(iou, 0, iou.length), 1).contiguous();
        }
        if (f.names().size() != 1) {
            throw new UsageException("--mask-input " + file + ": expected a result.safetensors or one tensor, found "
                    + f.names());
        }
        Tensor t = copy(f.get(f.names().get(0)), backend).to(DType.F32);
        if (t.rank() == 2) {
            t = t.unsqueeze(0);
        }
        return t;
    }

    private static Tensor copy(SafetensorsFile.Entry e, Backend backend) {
        return backend.copyFromHost(e.dtype(), e.data(), e.shape());
    }
}
