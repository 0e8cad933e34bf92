package dev.jsam.cli;

import dev.jsam.sam.ImageEmbedding;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                               [--hq-token-only] --out DIR [--threads N] [--device D] [--memory-mb M]
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
            CommandSpec.THREADS, CommandSpec.DEVICE, MemoryBudget.OPTION, ImageInput.OPTION), """
            Coordinates are image pixels within -1e6..1e6. DIR gets result.safetensors, result.json
            (the best mask of each prompt marked "best": true), mask_<i>.png and overlay.png; it
            appears whole or not at all. Masks are written one at a time: the heap needed is about
            3 bytes per image pixel plus the model's working set (README, "Memory"), whatever the
            number of prompts; result.safetensors holds B x C x H x W bytes of masks (4 times more
            with --logits). An HQ-SAM checkpoint answers one mask per prompt.""");

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
        MemoryBudget budget = MemoryBudget.of(args);
        ExifOrientation orientation = ImageInput.orientation(args);
        ImageHeader header = Inputs.imageHeader("--image", imagePath.toString(), orientation);
        int prompts = Math.max(1, boxes.size());
        try (Backend backend = ModelLoader.backend(args)) {
            Tensor maskInput = maskInputFile == null ? null : readMaskInput(Path.of(maskInputFile), backend);
            long t0 = System.nanoTime();
            Sam sam = ModelLoader.load(checkpoint, backend);
            long t1 = System.nanoTime();
            int masksPerPrompt = multimask && !sam.config().hq() ? 3 : 1; // HQ-SAM answers one mask per prompt
            String embeddingFile = args.get("--embedding");
            budget.require(MemoryBudget.predict(sam.config(), header, prompts, masksPerPrompt, embeddingFile == null),
                    "predict on this " + header.width() + " x " + header.height() + " image with " + prompts
                            + " prompt(s) x " + masksPerPrompt + " mask(s)");
            RgbImage image = Inputs.image("--image", imagePath.toString(), orientation);
            err.printf("loaded %s (%s) in %.2f s%n", checkpoint, sam.config().name(), (t1 - t0) / 1e9);
            SamPredictor predictor = new SamPredictor(sam);
            if (args.has("--hq-token-only")) {
                if (!sam.config().hq()) {
                    throw new UsageException("--hq-token-only applies to HQ-SAM checkpoints; " + checkpoint + " is "
                            + sam.config().name() + ", with SAM's mask decoder");
                }
                predictor.setHqTokenOnly(true);
            }
            long te = System.nanoTime();
            if (embeddingFile != null) {
                predictor.setEmbedding(readEmbedding(Path.of(embeddingFile), backend, sam, image, imagePath));
            } else {
                err.print("encoding image ... ");
                err.flush();
                predictor.setImage(image);
            }
            long t2 = System.nanoTime();
            if (embeddingFile == null) {
                err.printf("%.2f s%n", (t2 - te) / 1e9);
            }
            int lowRes = 4 * sam.config().promptEncoder().imageEmbeddingSize();
            Map<String, String> metadata = Map.of("model", sam.config().name(), "image", imagePath.toString());
            try (OutputDir dir = OutputDir.create("--out", outPath, "result.json");
                 PredictWriter writer = new PredictWriter(dir, image, metadata, prompts, masksPerPrompt, lowRes,
                         boxes.size() > 1, logits)) {
                long decodeNanos = 0;
                for (int b0 = 0; b0 < prompts; b0 += MemoryBudget.PROMPTS_PER_CALL) {
                    int b1 = Math.min(prompts, b0 + MemoryBudget.PROMPTS_PER_CALL);
                    long c0 = System.nanoTime();
                    SamPredictor.LowRes low = decode(predictor, points, boxes.subList(Math.min(b0, boxes.size()),
                            Math.min(b1, boxes.size())), b1 - b0, maskInput, multimask);
                    float[] iou = low.iouPredictions().toFloatArray();
                    float[] logitsLow = low.logits().toFloatArray();
                    decodeNanos += System.nanoTime() - c0;
                    writer.add(iou, logitsLow, predictor);
                }
                err.printf("decoded %d mask(s) in %.3f s%n", prompts * masksPerPrompt, decodeNanos / 1e9);
                writer.finish(json(imagePath, image, sam.config().name(), points, boxes, maskInputFile, embeddingFile,
                        multimask, (t1 - t0) / 1e6, embeddingFile == null ? (t2 - te) / 1e6 : 0, decodeNanos / 1e6,
                        note), points, boxes);
                dir.commit();
                err.println("wrote " + dir.target());
            }
        }
        return 0;
    }

    /** result.json without its masks (the writer adds them after "embedding"). */
    private static Map<String, Object> json(Path imagePath, RgbImage image, String model, List<double[]> points,
                                            List<double[]> boxes, String maskInput, String embedding,
                                            boolean multimask, double loadMs, double encoderMs, double decoderMs,
                                            String note) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", imagePath.toString());
        json.put("image_size_hw", List.of(image.height(), image.width()));
        json.put("model", model);
        Map<String, Object> prompts = new LinkedHashMap<>();
        prompts.put("points_xy_label", points.stream().map(p -> List.of(p[0], p[1], (int) p[2])).toList());
        prompts.put("boxes_xyxy", boxes.stream().map(b -> List.of(b[0], b[1], b[2], b[3])).toList());
        prompts.put("mask_input", maskInput);
        prompts.put("batch", boxes.size() > 1 ? boxes.size() : 1);
        json.put("prompts", prompts);
        json.put("multimask_output", multimask);
        json.put("embedding", embedding);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("load_model_ms", round(loadMs));
        t.put("encoder_ms", round(encoderMs));
        t.put("decoder_ms", round(decoderMs));
        json.put("timings", t);
        if (note != null) {
            json.put("note", note);
        }
        return json;
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
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

    /**
     * The low-res masks of n prompts: each of the given boxes (n of them, or none with n = 1) with
     * the shared points and mask input, mapped into the model's frame as the predictor's predict does.
     */
    private static SamPredictor.LowRes decode(SamPredictor predictor, List<double[]> points, List<double[]> boxes,
                                              int n, Tensor maskInput, boolean multimask) {
        ImageEmbedding e = predictor.getImageEmbedding();
        Backend be = predictor.model().backend();
        Tensor boxTensor = null;
        if (!boxes.isEmpty()) {
            float[] boxData = new float[4 * n];
            for (int i = 0; i < n; i++) {
                double[] t = predictor.transform().applyBoxes(boxes.get(i), e.originalH(), e.originalW());
                for (int k = 0; k < 4; k++) {
                    boxData[4 * i + k] = (float) t[k];
                }
            }
            boxTensor = Tensor.of(be, boxData, n, 4);
        }
        Tensor coords = null;
        int[][] labels = null;
        int np = points.size();
        if (np > 0) {
            double[] xy = new double[2 * np];
            int[] l = new int[np];
            for (int i = 0; i < np; i++) {
                xy[2 * i] = points.get(i)[0];
                xy[2 * i + 1] = points.get(i)[1];
                l[i] = (int) points.get(i)[2];
            }
            double[] t = predictor.transform().applyCoords(xy, e.originalH(), e.originalW());
            float[] f = new float[2 * np];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) t[i];
            }
            coords = Tensor.of(be, f, 1, np, 2).expand(n, np, 2);
            labels = new int[n][];
            for (int i = 0; i < n; i++) {
                labels[i] = l.clone();
            }
        }
        Tensor masks = maskInput == null ? null : maskInput.unsqueeze(0).expand(n, 1, maskInput.dim(1), maskInput.dim(2));
        return predictor.predictLowRes(coords, labels, boxTensor, masks, multimask);
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
            return low.narrow(0, PredictWriter.best(iou, 0, iou.length), 1).contiguous();
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
