package dev.jsam.bench;

import dev.jsam.nn.Weights;
import dev.jsam.sam.SamAutomaticMaskGenerator;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * jsam's half of bench/run-throughput.sh, timed as bench/reference_throughput.py times the
 * reference: vit_b with the synthetic weights, one image. "prompt": setImage, then one point
 * prompt at (500, 375), multimask, masks upsampled to the image (the first call and the median
 * of the next REPS). "amg": segment everything with the reference's defaults (encoder included),
 * the first call in this JVM and then REPS more. "batch64": the prompt encoder and decoder on 64
 * points at low resolution, as segment-everything runs each batch (first call, median of REPS).
 * "encode2": the image encoder on two preprocessed copies of the image, one at a time and then as
 * one batch of 2, alternately REPS times after one of each to warm up (is batch encoding worth it?).
 * "read": decoding the image file and resizing it to the model's input, the work a folder run
 * could overlap with the encoder. Each line gives wall seconds and the process's
 * CPU seconds (all threads), which the other engineers' builds on the machine disturb less.
 * "amg-all": the same with pred_iou_thresh and stability_score_thresh 0, so that every candidate
 * goes through upsampling, stability, NMS and RLE (with the synthetic weights none passes the defaults).
 * Usage: ThroughputBench THREADS IMAGE REPS prompt|amg|amg-all|batch64|encode2|read...
 */
public final class ThroughputBench {
    private ThroughputBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        RgbImage image = Images.read(Path.of(args[1]));
        int reps = Integer.parseInt(args[2]);
        try (CpuBackend be = CpuBackend.create(threads)) {
            Sam sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), be), be), SamConfig.vitB());
            for (String task : Arrays.asList(args).subList(3, args.length)) {
                switch (task) {
                    case "prompt" -> prompt(sam, image, reps);
                    case "amg" -> amg(new SamAutomaticMaskGenerator(sam), "", image, reps);
                    case "amg-all" -> amg(SamAutomaticMaskGenerator.builder(sam).predIouThresh(0).stabilityScoreThresh(0).build(),
                            " (all kept)", image, reps);
                    case "batch64" -> batch64(sam, image, reps);
                    case "encode2" -> encode2(sam, image, reps);
                    case "read" -> timed("read + resize   ", reps, () -> readAndResize(sam, Path.of(args[1])));
                    default -> throw new IllegalArgumentException("unknown task " + task);
                }
            }
        }
    }

    private static void prompt(Sam sam, RgbImage image, int reps) {
        SamPredictor predictor = new SamPredictor(sam);
        predictor.setImage(image);
        double[] point = {500, 375};
        int[] label = {1};
        timed("one prompt      ", reps, () -> predictor.predict(point, label, null, null, true, false));
    }

    /** Runs task 1 + reps times and prints the first call and the median and range of the others. */
    private static void timed(String label, int reps, Runnable task) {
        double[] wall = new double[reps + 1];
        double[] cpu = new double[reps + 1];
        for (int i = 0; i <= reps; i++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            task.run();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (cpuNanos() - c0) / 1e6;
        }
        System.out.printf("jsam  %s first %7.1f ms (cpu %7.1f)  median %6.1f ms (cpu %6.1f), range %.1f-%.1f ms%n",
                label, wall[0], cpu[0], median(wall, 1), median(cpu, 1), min(wall, 1), max(wall, 1));
    }

    private static void batch64(Sam sam, RgbImage image, int reps) {
        SamPredictor predictor = new SamPredictor(sam);
        predictor.setImage(image);
        float[] xy = new float[64 * 2];
        int[][] labels = new int[64][];
        for (int i = 0; i < 64; i++) {
            xy[2 * i] = 16 + 128 * (i % 8);
            xy[2 * i + 1] = 16 + 84 * (i / 8);
            labels[i] = new int[] {1};
        }
        Tensor points = Tensor.of(sam.backend(), xy, 64, 1, 2);
        timed("decoder batch 64", reps, () -> predictor.predictLowRes(points, labels, null, null, true));
    }

    private static void readAndResize(Sam sam, Path file) {
        try {
            SamPredictor predictor = new SamPredictor(sam);
            predictor.inputTensor(predictor.transform().applyImage(Images.read(file)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void encode2(Sam sam, RgbImage image, int reps) {
        SamPredictor predictor = new SamPredictor(sam);
        Tensor one = sam.preprocess(predictor.inputTensor(predictor.transform().applyImage(image))).contiguous(); // 1 x 3 x 1024 x 1024
        Tensor two = Tensor.concat(List.of(one, one), 0).contiguous();                                        // 2 x 3 x 1024 x 1024
        for (int i = 0; i <= reps; i++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            sam.imageEncoder().forward(one).contiguous();
            sam.imageEncoder().forward(one).contiguous();
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            sam.imageEncoder().forward(two).contiguous();
            System.out.printf("jsam  encoder, 2 images %s: one at a time %6.2f s (cpu %6.2f s), as a batch of 2 %6.2f s (cpu %6.2f s)%n",
                    i == 0 ? "warm-up" : "rep " + i, (t1 - t0) / 1e9, (c1 - c0) / 1e9, (System.nanoTime() - t1) / 1e9,
                    (cpuNanos() - c1) / 1e9);
        }
    }

    private static void amg(SamAutomaticMaskGenerator generator, String label, RgbImage image, int reps) {
        for (int i = 0; i <= reps; i++) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            List<MaskRecord> masks = generator.generate(image);
            System.out.printf("jsam  segment everything%s %s %6.2f s (cpu %6.2f s), %d masks%n", label, i == 0 ? "first" : "next ",
                    (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9, masks.size());
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] v, int from) {
        double[] s = Arrays.copyOfRange(v, from, v.length);
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v, int from) {
        return Arrays.stream(v, from, v.length).min().orElse(Double.NaN);
    }

    private static double max(double[] v, int from) {
        return Arrays.stream(v, from, v.length).max().orElse(Double.NaN);
    }
}
