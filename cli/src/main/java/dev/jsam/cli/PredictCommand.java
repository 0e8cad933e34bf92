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
import java.util.Set;

/**
 * `sam predict`: one image, prompts from flags, results in a folder (result.safetensors,
 * result.json, mask_<i>.png, overlay.png). Several --box flags make a batch, one prompt per box,
 * the points (if any) shared by every box.
 */
final class PredictCommand {
    static final String USAGE = """
            usage: sam predict --checkpoint C --image I [--point X,Y[,LABEL]]... [--box X0,Y0,X1,Y1]...
                               [--mask-input F] [--multimask | --single] [--logits] [--embedding E]
                               --out DIR [--threads N] [--device cpu|cuda] [--ignore-exif-orientation]
              --point X,Y[,LABEL]  a point in image pixels; LABEL 1 = foreground (default), 0 = background
              --box X0,Y0,X1,Y1    a box in image pixels; several boxes = one prompt per box
              --mask-input F       low-res logits from an earlier result.safetensors (the best mask by IoU)
                                   or a safetensors file holding one (1, 256, 256) tensor
              --multimask          three masks per prompt (the default); --single: one mask
              --logits             also write the float mask logits (mask_logits)
              --embedding E        use an embedding written by `sam embed` instead of running the encoder
              --out DIR            output folder (created; an earlier result there is replaced)
            """ + ImageInput.HELP;
    static final Set<String> VALUED = Set.of("--checkpoint", "--image", "--point", "--box", "--mask-input",
            "--embedding", "--out", "--threads", "--device");
    static final Set<String> FLAGS = Set.of("--multimask", "--single", "--logits", "--help",
            ImageInput.IGNORE_EXIF_ORIENTATION);

    private PredictCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = Args.parse(argv, VALUED, FLAGS);
        if (args.has("--help")) {
            out.print(USAGE);
            return 0;
        }
        return run(args, err, null);
    }

    /** Runs with parsed args; note (if not null) is added to result.json and printed. */
    static int run(Args args, PrintStream err, String note) throws IOException {
        Path checkpoint = Path.of(args.require("--checkpoint"));
        Path imagePath = Path.of(args.require("--image"));
        Path outPath = Path.of(args.require("--out"));
        if (args.has("--multimask") && args.has("--single")) {
            throw new UsageException("--multimask and --single exclude each other");
        }
        boolean multimask = !args.has("--single");
        boolean logits = args.has("--logits");
        List<double[]> points = new ArrayList<>();
        for (String p : args.all("--point")) {
            double[] v = Args.numbers("--point", p, 2, 3);
            double label = v.length == 3 ? v[2] : 1;
            if (label != 0 && label != 1) {
                throw new UsageException("--point " + p + ": LABEL must be 1 (foreground) or 0 (background)");
            }
            points.add(new double[] {v[0], v[1], label});
        }
        List<double[]> boxes = new ArrayList<>();
        for (String b : args.all("--box")) {
            double[] v = Args.numbers("--box", b, 4, 4);
            if (v[2] < v[0] || v[3] < v[1]) {
                throw new UsageException("--box " + b + ": needs X0 <= X1 and Y0 <= Y1");
            }
            boxes.add(v);
        }
        String maskInputFile = args.get("--mask-input");
        if (points.isEmpty() && boxes.isEmpty() && maskInputFile == null) {
            throw new UsageException("give at least one prompt: --point, --box or --mask-input");
        }
        RgbImage image = ImageInput.read(imagePath, args);
        try (OutputDir dir = OutputDir.create(outPath, "result.json"); Backend backend = ModelLoader.backend(args)) {
            long t0 = System.nanoTime();
            Sam sam = ModelLoader.load(checkpoint, backend);
            long t1 = System.nanoTime();
            err.printf("loaded %s (%s) in %.2f s%n", checkpoint, sam.config().name(), (t1 - t0) / 1e9);
            SamPredictor predictor = new SamPredictor(sam);
            String embeddingFile = args.get("--embedding");
            if (embeddingFile != null) {
                ImageEmbedding e = ImageEmbedding.load(Path.of(embeddingFile), backend);
                if (e.originalH() != image.height() || e.originalW() != image.width()) {
                    throw new UsageException("--embedding " + embeddingFile + " was computed for a " + e.originalW() + "x"
                            + e.originalH() + " image, but " + imagePath + " is " + image.width() + "x" + image.height());
                }
                predictor.setEmbedding(e);
            } else {
                err.print("encoding image ... ");
                err.flush();
                predictor.setImage(image);
            }
            long t2 = System.nanoTime();
            if (embeddingFile == null) {
                err.printf("%.2f s%n", (t2 - t1) / 1e9);
            }
            Tensor maskInput = maskInputFile == null ? null : readMaskInput(Path.of(maskInputFile), backend);
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

    /** Low-res logits (1, 256, 256) from a file: a result.safetensors (best IoU) or a single tensor. */
    static Tensor readMaskInput(Path file, Backend backend) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        if (f.contains("low_res_logits") && f.contains("iou_predictions")) {
            Tensor low = copy(f.get("low_res_logits"), backend);
            float[] iou = copy(f.get("iou_predictions"), backend).toFloatArray();
            if (low.rank() != 3) {
                throw new UsageException("--mask-input " + file + ": low_res_logits of a batch; pass a single-prompt result");
            }
            int best = 0;
            for (int i = 1; i < iou.length; i++) {
                best = iou[i] > iou[best] ? i : best;
            }
            return low.narrow(0, best, 1).contiguous();
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
