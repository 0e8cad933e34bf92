package dev.jsam.convert;

import dev.jsam.tensor.DType;
import dev.jsam.tensor.io.SafetensorsWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts a PyTorch checkpoint (.pth, zip or legacy format) to a safetensors file: finds the
 * state_dict, materialises every tensor as PyTorch would, optionally casts floating tensors, and
 * streams the result through an atomic writer (no output file unless everything succeeded).
 * Keys are sorted; the metadata records the source file and the conversion. No model knowledge.
 */
public final class Converter {
    /** What to do with floating point tensors; integer and bool tensors are always kept. */
    public enum Target {
        KEEP, F32, F16, BF16;

        DType apply(DType source) {
            if (this == KEEP || !source.isFloating()) {
                return source;
            }
            return DType.valueOf(name());
        }
    }

    /** What a conversion did. */
    public record Result(String format, String stateDictSource, int tensors, long outputBytes, List<String> skipped) {
    }

    private Converter() {
    }

    /** Converts {@code in} to {@code out}, logging what it finds and its progress to {@code log}. */
    public static Result convert(Path in, Path out, Target target, PrintStream log) throws IOException {
        try (Checkpoint ck = Checkpoint.open(in)) {
            StateDict sd = StateDict.find(ck.root());
            log.println("read " + in.getFileName() + ": " + ck.description());
            log.println("state_dict: " + sd.source() + ", " + sd.tensors().size() + " tensors");
            if (!sd.skipped().isEmpty()) {
                log.println("skipped " + sd.skipped().size() + " non-tensor entries: " + sd.skipped());
            }
            Map<String, TensorRef> sorted = new TreeMap<>(sd.tensors());
            List<SafetensorsWriter.Spec> specs = new ArrayList<>();
            Map<DType, Integer> counts = new TreeMap<>();
            long total = 0;
            for (Map.Entry<String, TensorRef> e : sorted.entrySet()) {
                TensorRef t = e.getValue();
                DType dtype = target.apply(t.storage().dtype());
                SafetensorsWriter.Spec spec = new SafetensorsWriter.Spec(e.getKey(), dtype,
                        Materializer.checkedShape(e.getKey(), t));
                specs.add(spec);
                counts.merge(t.storage().dtype(), 1, Integer::sum);
                total += spec.byteSize();
                log.println("  " + e.getKey() + "  " + t.storage().dtype()
                        + (dtype != t.storage().dtype() ? "->" + dtype : "") + " " + Arrays.toString(spec.shape()));
            }
            log.println("dtypes " + counts + ", writing " + human(total) + " as " + target.name().toLowerCase(Locale.ROOT)
                    + " to " + out);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", "pt");
            metadata.put("source_file", in.getFileName().toString());
            metadata.put("source_format", ck.description());
            metadata.put("state_dict", sd.source());
            metadata.put("converted_by", "jsam weights-converter, dtype " + target.name().toLowerCase(Locale.ROOT));
            Progress progress = new Progress(total, log);
            try (SafetensorsWriter w = SafetensorsWriter.create(out, metadata, specs);
                 Materializer m = new Materializer()) {
                for (SafetensorsWriter.Spec spec : specs) {
                    TensorRef t = sorted.get(spec.name());
                    w.begin(spec.name());
                    m.stream(t, ck.bytes(t.storage()), spec.dtype(), w, progress::add);
                    w.end();
                }
                w.commit();
            }
            log.println("wrote " + out + " (" + specs.size() + " tensors, " + human(total) + ")");
            return new Result(ck.description(), sd.source(), specs.size(), total, sd.skipped());
        }
    }

    static String human(long bytes) {
        if (bytes < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (double) (1 << 20));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
    }

    /** Prints a line every 10% of the output when it is larger than 64 MB. */
    private static final class Progress {
        private final long total;
        private final PrintStream log;
        private long done;
        private int lastTenth;

        Progress(long total, PrintStream log) {
            this.total = total;
            this.log = log;
        }

        void add(long bytes) {
            done += bytes;
            int tenth = (int) (done * 10 / Math.max(1, total));
            if (total > 64L << 20 && tenth > lastTenth) {
                lastTenth = tenth;
                log.println("  " + tenth * 10 + "% (" + human(done) + " of " + human(total) + ")");
            }
        }
    }
}
