package dev.jsam.bench;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One image through the vit_b encoder in a fresh JVM, for peak-memory measurement: with
 * `write FILE` it writes the synthetic vit_b weights as safetensors; with `encode FILE IMAGE`
 * it maps them, encodes the image once and prints the time and the process's peak RSS
 * (VmHWM), weights included. With `prompts FILE` it runs issue 17's memory scenario: a random
 * 534 x 800 image encoded, then 64 point prompts in one batch, 3 masks each, logits at
 * 534 x 800 (predictTorch), and prints the peak RSS (also as it stood after encoding) and the
 * file-backed (mapped weights) and anonymous RSS at the end, and the megabytes of op buffers each
 * phase allocated because the backend's pool had none of their size (its working set). Not a JMH benchmark: RSS needs a
 * process of its own.
 */
public final class EncodeOnce {
    private EncodeOnce() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("write")) {
            write(Path.of(args[1]));
        } else if (args.length == 3 && args[0].equals("encode")) {
            encode(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length == 2 && args[0].equals("prompts")) {
            prompts(Path.of(args[1]));
        } else {
            System.err.println("usage: EncodeOnce write FILE | encode FILE IMAGE | prompts FILE");
            System.exit(2);
        }
    }

    private static void write(Path file) throws Exception {
        try (CpuBackend be = CpuBackend.create()) {
            new SyntheticWeights(SamConfig.vitB(), be).writeSafetensors(file);
        }
    }

    private static void encode(Path weights, Path image) throws Exception {
        try (CpuBackend be = CpuBackend.create()) {
            Sam sam = Sam.fromSource(SafetensorsSource.open(weights, be), be);
            SamPredictor p = new SamPredictor(sam);
            var img = Images.read(image);
            long t0 = System.nanoTime();
            p.setImage(img);
            long t1 = System.nanoTime();
            System.out.printf("encoder %.2f s, peak RSS %s%n", (t1 - t0) / 1e9, peakRss());
        }
    }

    private static void prompts(Path weights) throws Exception {
        try (CpuBackend be = CpuBackend.create()) {
            Sam sam = Sam.fromSource(SafetensorsSource.open(weights, be), be);
            SamPredictor p = new SamPredictor(sam);
            byte[] hwc = new byte[534 * 800 * 3];
            new SplittableRandom(5).nextBytes(hwc);
            long t0 = System.nanoTime();
            p.setImage(RgbImage.of(800, 534, hwc));
            long t1 = System.nanoTime();
            String encoderPeak = peakRss();
            long encoderAllocated = be.poolAllocatedBytes();
            float[] xy = new float[64 * 2];
            int[][] labels = new int[64][];
            for (int i = 0; i < 64; i++) { // an 8 x 8 grid over the 1024 x 684 input frame
                xy[2 * i] = 64 + 128 * (i % 8);
                xy[2 * i + 1] = 43 + 85 * (i / 8);
                labels[i] = new int[] {1};
            }
            SamPredictor.BatchPrediction b = p.predictTorch(Tensor.of(be, xy, 64, 1, 2), labels, null, null, true, true);
            long t2 = System.nanoTime();
            System.out.printf("encoder %.2f s, 64 prompts %.2f s, masks %s, peak RSS %s (after encoding %s), "
                            + "now %s, max heap %d MB, buffers allocated for the encoder %d MB, for the prompts %d MB%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, Arrays.toString(b.masks().shape()), peakRss(), encoderPeak,
                    status("RssFile") + " " + status("RssAnon"), Runtime.getRuntime().maxMemory() >> 20,
                    encoderAllocated >> 20, (be.poolAllocatedBytes() - encoderAllocated) >> 20);
        }
    }

    private static String peakRss() throws Exception {
        return status("VmHWM");
    }

    /** The line of /proc/self/status for field (VmHWM, RssFile: mapped weights and jars, RssAnon: heap and native). */
    private static String status(String field) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field))
                .findFirst().orElse(field + ": ?").replaceAll("\\s+", " ");
    }
}
