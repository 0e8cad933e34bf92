package dev.jsam.bench;

import dev.jsam.nn.Weights;
import dev.jsam.sam.Prompt;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * MobileSAM (vit_t) and HQ-SAM (hq_vit_b) on the CPU, with the golden README's formula weights, for
 * bench/run-variants.sh, which runs the reference PyTorch on the same image and prompt right after
 * (bench/reference_variants.py): per model the encoder's first call, the median of the next ones
 * (setImage: resize, normalise, encode; HQ-SAM's intermediate embedding kept), and one point prompt
 * (prompt encoder, decoder, masks upsampled to the image). A plain harness, not JMH: the first
 * call is part of what is measured. Usage: VariantBench THREADS IMAGE [REPS]
 */
public final class VariantBench {
    private VariantBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        RgbImage image = Images.read(Path.of(args[1]));
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        try (CpuBackend be = CpuBackend.create(threads)) {
            for (SamConfig config : new SamConfig[] {SamConfig.vitT(), SamConfig.hq(SamConfig.vitB())}) {
                Sam sam = new Sam(Weights.of(new SyntheticWeights(config, be), be), config);
                SamPredictor p = new SamPredictor(sam);
                long t0 = System.nanoTime();
                p.setImage(image);
                double first = (System.nanoTime() - t0) / 1e9;
                double[] enc = new double[reps];
                for (int r = 0; r < reps; r++) {
                    long t = System.nanoTime();
                    p.setImage(image);
                    enc[r] = (System.nanoTime() - t) / 1e9;
                }
                p.predict(Prompt.point(500, 375));
                double[] dec = new double[2 * reps + 1];
                for (int r = 0; r < dec.length; r++) {
                    long t = System.nanoTime();
                    p.predict(Prompt.point(500, 375));
                    dec[r] = (System.nanoTime() - t) / 1e6;
                }
                System.out.printf("jsam %-8s threads %d  encoder first %.2f s, median %.2f s  one prompt median %.0f ms%n",
                        config.name(), threads, first, median(enc), median(dec));
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
