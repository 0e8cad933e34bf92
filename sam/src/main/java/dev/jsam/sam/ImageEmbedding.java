package dev.jsam.sam;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.io.SafetensorsFile;
import dev.jsam.tensor.io.SafetensorsWriter;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What SamPredictor keeps of an image: the encoder's features (1, C, 64, 64), the two sizes the
 * prompts need (the original image and the resized input) and the identity of the model that
 * computed it, which {@link SamPredictor#setEmbedding} checks; for HQ-SAM also the encoder's
 * intermediate embedding (1, 64, 64, vit_dim), which its decoder fuses (null otherwise). Saved as
 * safetensors so that a later run can predict without the encoder, as the reference's web demo
 * does. Immutable as long as nobody writes into the tensors: thread-safe, to share between threads
 * and predictors.
 */
public record ImageEmbedding(Tensor features, int originalH, int originalW, int inputH, int inputW, ModelId model,
                             Tensor intermEmbeddings) {
    private static final String FORMAT = "jsam.image_embedding.v2";
    private static final String FORMAT_WITHOUT_MODEL_ID = "jsam.image_embedding.v1";
    private static final String INTERM = "interm_embeddings";

    /** An embedding without the intermediate embedding (enough for every model but HQ-SAM). */
    public ImageEmbedding(Tensor features, int originalH, int originalW, int inputH, int inputW, ModelId model) {
        this(features, originalH, originalW, inputH, inputW, model, null);
    }

    /** Writes the features (and intermediate embedding), sizes and model identity to a safetensors file (atomically). */
    public void save(Path file) throws IOException {
        byte[] data = features.to(DType.F32).toByteArray();
        List<SafetensorsFile.Entry> entries = new java.util.ArrayList<>(List.of(new SafetensorsFile.Entry("features",
                DType.F32, features.shape(), MemorySegment.ofArray(data))));
        if (intermEmbeddings != null) {
            entries.add(new SafetensorsFile.Entry(INTERM, DType.F32, intermEmbeddings.shape(),
                    MemorySegment.ofArray(intermEmbeddings.to(DType.F32).contiguous().toByteArray())));
        }
        Map<String, String> meta = Map.of(
                "format", FORMAT,
                "original_size", originalH + "," + originalW,
                "input_size", inputH + "," + inputW,
                "model", model.name(),
                "model_sha256", model.sha256());
        SafetensorsWriter.write(file, meta, entries);
    }

    /**
     * Reads an embedding written by {@link #save}; errors name the file and what is wrong. Files
     * written before embeddings carried their model's identity are refused: run {@code sam embed}
     * (or {@link #save}) again.
     */
    public static ImageEmbedding load(Path file, Backend backend) throws IOException {
        SafetensorsFile f = SafetensorsFile.open(file);
        String format = f.metadata().get("format");
        if (FORMAT_WITHOUT_MODEL_ID.equals(format)) {
            throw new IOException(file + ": an embedding from an older jsam that does not record which model made it;"
                    + " run `sam embed` again to write one that does");
        }
        if (!FORMAT.equals(format)) {
            throw new IOException(file + ": not an image embedding written by `sam embed` (metadata format is "
                    + format + ")");
        }
        SafetensorsFile.Entry e = f.get("features");
        if (e.dtype() != DType.F32 || e.shape().length != 4 || e.shape()[0] != 1) {
            throw new IOException(file + ": features must be F32 (1, C, H, W)");
        }
        int[] orig = pair(file, f.metadata(), "original_size");
        int[] in = pair(file, f.metadata(), "input_size");
        ModelId model;
        try {
            model = new ModelId(f.metadata().getOrDefault("model", ""), f.metadata().getOrDefault("model_sha256", ""));
        } catch (IllegalArgumentException bad) {
            throw new IOException(file + ": metadata model_sha256 must be 64 lowercase hex digits, got "
                    + f.metadata().get("model_sha256"));
        }
        Tensor features = backend.copyFromHost(DType.F32, e.data(), e.shape());
        Tensor interm = null;
        if (f.contains(INTERM)) {
            SafetensorsFile.Entry i = f.get(INTERM);
            if (i.dtype() != DType.F32 || i.shape().length != 4 || i.shape()[0] != 1) {
                throw new IOException(file + ": " + INTERM + " must be F32 (1, H, W, C)");
            }
            interm = backend.copyFromHost(DType.F32, i.data(), i.shape());
        }
        return new ImageEmbedding(features, orig[0], orig[1], in[0], in[1], model, interm);
    }

    private static int[] pair(Path file, Map<String, String> meta, String key) throws IOException {
        String v = meta.get(key);
        String[] parts = v == null ? new String[0] : v.split(",");
        try {
            if (parts.length == 2) {
                int a = Integer.parseInt(parts[0].trim()), b = Integer.parseInt(parts[1].trim());
                if (a > 0 && b > 0) {
                    return new int[] {a, b};
                }
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IOException(file + ": metadata " + key + " must be \"H,W\" with positive sizes, got " + v);
    }
}
