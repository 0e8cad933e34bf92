package dev.jsam.sam.modeling;

import dev.jsam.nn.Weights;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Hand-set weights for building one of the model's own classes: every key the class asks for is
 * zero unless {@link #put} set it, so a test can make a layer an identity, a constant or a switch
 * and compute what the whole module must return. Keys and shapes come from building the class once
 * on shape-only weights; a key put that the class never asks for fails the build.
 */
final class CraftedWeights {
    private final Backend backend;
    private final Map<String, float[]> values = new HashMap<>();

    CraftedWeights(Backend backend) {
        this.backend = backend;
    }

    /** Sets a tensor, row-major, with exactly as many values as its shape holds. */
    CraftedWeights put(String key, float... v) {
        values.put(key, v);
        return this;
    }

    /** Builds the class from these weights. */
    <T> T build(Function<Weights, T> constructor) {
        Weights probe = Weights.shapesOnly(backend);
        constructor.apply(probe);
        Map<String, int[]> shapes = probe.requested();
        for (String key : values.keySet()) {
            if (!shapes.containsKey(key)) {
                throw new IllegalArgumentException("the model asks for no " + key + "; it asks for " + shapes.keySet());
            }
        }
        return constructor.apply(Weights.of(new Weights.Source() {
            @Override
            public Set<String> keys() {
                return shapes.keySet();
            }

            @Override
            public Tensor get(String key) {
                int[] shape = shapes.get(key);
                int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                float[] v = values.getOrDefault(key, new float[n]);
                if (v.length != n) {
                    throw new IllegalArgumentException(key + " " + Arrays.toString(shape) + " wants " + n + " values, got "
                            + v.length);
                }
                return Tensor.of(backend, v, shape);
            }

            @Override
            public String describe() {
                return "crafted weights";
            }
        }, backend));
    }

    /** n copies of v. */
    static float[] fill(int n, float v) {
        float[] out = new float[n];
        Arrays.fill(out, v);
        return out;
    }

    /** A rows x cols matrix with `value` at (i, i + colOffset) for every row i with a column. */
    static float[] diagonal(int rows, int cols, int colOffset, float value) {
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows && i + colOffset < cols; i++) {
            out[i * cols + i + colOffset] = value;
        }
        return out;
    }
}
