package dev.jsam.sam;

import dev.jsam.nn.Weights;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.io.SafetensorsWriter;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deterministic stand-in weights for a full-size model, from the formula of the golden README
 * (testdata/golden/README.md, "The synthetic vit_b weights"): key k of the sorted state_dict,
 * element i, value center + scale * (2u - 1) with u from {@code SplitMix64((k << 32) | i)}. Lets tests and
 * benchmarks run real shapes without a checkpoint: every registry entry, MobileSAM's and HQ-SAM's
 * too (their keys include those the forward pass never reads, such as TinyViT's classification
 * head, and leave out batch norm's counters, as the README's variants section says). Each get
 * generates the tensor afresh.
 * Thread-safe: immutable, each get generates its tensor afresh.
 */
public final class SyntheticWeights implements Weights.Source {
    private final List<String> keys;
    private final Map<String, int[]> shapes;
    private final Backend backend;

    public SyntheticWeights(SamConfig config, Backend backend) {
        Weights recorder = Weights.shapesOnly(backend);
        new Sam(recorder, config);
        this.shapes = recorder.requested();
        this.keys = shapes.keySet().stream().sorted().toList();
        this.backend = backend;
    }

    @Override
    public Set<String> keys() {
        return shapes.keySet();
    }

    @Override
    public Tensor get(String key) {
        int k = keys.indexOf(key);
        if (k < 0) {
            return null;
        }
        int[] shape = shapes.get(key);
        float[] data = new float[Math.toIntExact(dev.jsam.tensor.Layout.numel(shape))];
        double[] cs = centerAndScale(key, shape, data.length);
        double center = cs[0];
        double scale = cs[1];
        for (int i = 0; i < data.length; i++) {
            long z = splitmix64(((long) k << 32) | i);
            double u = (z >>> 40) / (double) (1 << 24);
            data[i] = (float) (center + scale * (2 * u - 1));
        }
        return Tensor.of(backend, data, shape);
    }

    @Override
    public int[] shape(String key) {
        int[] s = shapes.get(key);
        return s == null ? null : s.clone();
    }

    @Override
    public DType dtype(String key) {
        return shapes.containsKey(key) ? DType.F32 : null;
    }

    @Override
    public String describe() {
        return "synthetic weights (golden README formula)";
    }

    /** Writes every tensor to a safetensors file (one tensor in memory at a time). */
    public void writeSafetensors(Path file) throws IOException {
        List<SafetensorsWriter.Spec> specs = new ArrayList<>();
        for (String k : keys) {
            specs.add(new SafetensorsWriter.Spec(k, DType.F32, shapes.get(k)));
        }
        try (SafetensorsWriter out = SafetensorsWriter.create(file, Map.of("source", describe()), specs)) {
            for (String k : keys) {
                out.writeTensor(k, MemorySegment.ofArray(get(k).toByteArray()));
            }
            out.commit();
        }
    }

    /** The SplitMix64 finaliser applied to x + golden gamma. */
    static long splitmix64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static boolean isEmbedding(String key) {
        return key.contains("point_embeddings") || key.contains("not_a_point_embed") || key.contains("no_mask_embed")
                || key.contains("gaussian_matrix") || key.contains("iou_token") || key.contains("mask_tokens");
    }

    private static boolean isPositional(String key) {
        return key.endsWith("rel_pos_h") || key.endsWith("rel_pos_w") || key.endsWith("pos_embed");
    }

    /** The formula's (center, scale) for a key: the README's rules, first match wins. */
    private static double[] centerAndScale(String key, int[] shape, long numel) {
        if (key.endsWith("running_var")) {
            return new double[] {1, 0.5};
        }
        if (key.endsWith("running_mean")) {
            return new double[] {0, 0.1};
        }
        if (isPositional(key)) {
            return new double[] {0, 0.1};
        }
        if (shape.length == 1 && key.endsWith(".weight")) {
            return new double[] {1, 0.1};
        }
        if (key.endsWith(".bias")) {
            return new double[] {0, 0.05};
        }
        if (!isEmbedding(key)) {
            return new double[] {0, Math.sqrt(3.0 / ((double) numel / shape[0]))};
        }
        return new double[] {0, 1};
    }
}
