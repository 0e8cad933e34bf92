package dev.jsam.bench;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.SafetensorsWriter;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
            SyntheticWeights w = new SyntheticWeights(SamConfig.vitB(), be);
            List<String> keys = new ArrayList<>(w.keys());
            List<SafetensorsWriter.Spec> specs = new ArrayList<>();
            for (String k : keys) {
                specs.add(new SafetensorsWriter.Spec(k, DType.F32, w.shape(k)));
            }
            try (SafetensorsWriter out = SafetensorsWriter.create(file, Map.of("source", "synthetic vit_b"), specs)) {
                for (String k : keys) {
                    Tensor t = w.get(k);
                    out.writeTensor(k, MemorySegment.ofArray(t.toByteArray()));
                }
                out.commit();
            }
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
