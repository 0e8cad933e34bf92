package dev.jsam.bench;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One image through the vit_b encoder in a fresh JVM, for peak-memory measurement: with
 * `write FILE` it writes the synthetic vit_b weights as safetensors; with `encode FILE IMAGE`
 * it maps them, encodes the image once and prints the time and the process's peak RSS
 * (VmHWM), weights included. Not a JMH benchmark: RSS needs a process of its own.
 */
public final class EncodeOnce {
    private EncodeOnce() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("write")) {
            write(Path.of(args[1]));
        } else if (args.length == 3 && args[0].equals("encode")) {
            encode(Path.of(args[1]), Path.of(args[2]));
        } else {
            System.err.println("usage: EncodeOnce write FILE | encode FILE IMAGE");
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
            String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?");
            System.out.printf("encoder %.2f s, peak RSS %s%n", (t1 - t0) / 1e9, hwm.replaceAll("\\s+", " "));
        }
    }
}
