package dev.jsam.nn;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Named parameters for building layers: {@code get(name, shape)} returns the tensor stored
 * under prefix + name, checked against the shape the layer expects and converted to F32;
 * {@code sub("blocks").sub(3)} narrows the prefix. Every key handed out is recorded, so that
 * {@link #requireAllUsed()} can name what a checkpoint holds that the model never asked for.
 * Keys are the reference's state_dict keys, verbatim.
 * Not thread-safe: it records every key handed out, so build a model on one thread; the model
 * built is what threads share. Sources are read by that one thread.
 */
public final class Weights {
    /** Where tensors come from: a checkpoint, a generator, or nothing (shape recording). */
    public interface Source {
        /** All keys the source holds. */
        Set<String> keys();

        /** The tensor under key (any float dtype), or null if absent. */
        Tensor get(String key);

        /** Says where the tensors come from, for error messages. */
        String describe();

        /** The stored shape of the tensor under key, or null if absent; the default builds the tensor to ask it. */
        default int[] shape(String key) {
            Tensor t = get(key);
            return t == null ? null : t.shape();
        }

        /** The stored dtype of the tensor under key, or null if absent; the default builds the tensor to ask it. */
        default DType dtype(String key) {
            Tensor t = get(key);
            return t == null ? null : t.dtype();
        }

        /**
         * This source described as {@code describe}, each tensor it hands out passed through
         * {@code transform(key, tensor)} (which keeps the shape); keys, stored shapes and dtypes unchanged.
         */
        default Source view(String describe, BiFunction<String, Tensor, Tensor> transform) {
            return new View(this, describe, transform);
        }
    }

    /** What {@link Source#view} returns. */
    private record View(Source inner, String describe, BiFunction<String, Tensor, Tensor> transform)
            implements Source {
        @Override
        public Set<String> keys() {
            return inner.keys();
        }

        @Override
        public Tensor get(String key) {
            Tensor t = inner.get(key);
            return t == null ? null : transform.apply(key, t);
        }

        @Override
        public int[] shape(String key) {
            return inner.shape(key);
        }

        @Override
        public DType dtype(String key) {
            return inner.dtype(key);
        }
    }

    private final Source source;
    private final Backend backend;
    private final String prefix;
    private final Map<String, int[]> used;

    private Weights(Source source, Backend backend, String prefix, Map<String, int[]> used) {
        this.source = source;
        this.backend = backend;
        this.prefix = prefix;
        this.used = used;
    }

    public static Weights of(Source source, Backend backend) {
        return new Weights(source, backend, "", new TreeMap<>());
    }

    /**
     * Weights that exist only as shapes: each get returns a zero tensor broadcast from one element
     * (no memory of its size), so a full-size model can be built to check its keys and shapes.
     */
    public static Weights shapesOnly(Backend backend) {
        return new Weights(new ZeroSource(backend.zeros(DType.F32, 1)), backend, "", new TreeMap<>());
    }

    /** A source with no keys whose get fabricates broadcast zeros; only for shapesOnly. */
    private record ZeroSource(Tensor zero) implements Source {
        @Override
        public Set<String> keys() {
            return Set.of();
        }

        @Override
        public Tensor get(String key) {
            return zero;
        }

        @Override
        public String describe() {
            return "shape recording";
        }
    }

    public Backend backend() {
        return backend;
    }

    /** Where the tensors come from (for reading a tensor as stored, without recording its use). */
    public Source source() {
        return source;
    }

    /** The full key of a parameter under this prefix. */
    public String key(String name) {
        return prefix + name;
    }

    public Weights sub(String name) {
        return new Weights(source, backend, prefix + name + ".", used);
    }

    public Weights sub(int index) {
        return sub(Integer.toString(index));
    }

    /** True when the source holds prefix + name (used for inference, not recorded). */
    public boolean has(String name) {
        return source.keys().contains(prefix + name);
    }

    /** The parameter prefix + name as F32, which must have exactly the given shape. */
    public Tensor get(String name, int... shape) {
        String key = prefix + name;
        if (used.containsKey(key)) {
            throw new IllegalStateException("parameter " + key + " requested twice");
        }
        Tensor t = source.get(key);
        if (t == null) {
            throw new IllegalArgumentException("missing parameter " + key + " (expected shape " + Arrays.toString(shape)
                    + ") in " + source.describe());
        }
        used.put(key, shape.clone());
        if (source instanceof ZeroSource) {
            return t.reshape().expand(shape);
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("parameter " + key + " has shape " + Arrays.toString(t.shape())
                    + " but the model expects " + Arrays.toString(shape) + " (" + source.describe() + ")");
        }
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException("parameter " + key + " has dtype " + t.dtype() + ", expected a float type");
        }
        return (t.backend() == backend ? t : t.to(backend)).to(DType.F32);
    }

    /**
     * A tensor the reference model holds in its state_dict but its forward pass never reads
     * (TinyViT's classification head): accepted when the source has it, with its shape checked,
     * never loaded, and not required (a checkpoint without it loads too). Shape recording records
     * it, as it is one of the model's keys.
     */
    public void acceptUnread(String name, int... shape) {
        String key = prefix + name;
        if (source instanceof ZeroSource) {
            used.put(key, shape.clone());
            return;
        }
        int[] stored = source.shape(key);
        if (stored == null) {
            return;
        }
        if (!Arrays.equals(stored, shape)) {
            throw new IllegalArgumentException("parameter " + key + " has shape " + Arrays.toString(stored)
                    + " but the model expects " + Arrays.toString(shape) + " (" + source.describe() + ")");
        }
        used.put(key, shape.clone());
    }

    /**
     * Batch norm's num_batches_tracked, a training counter no forward pass reads: accepted when the
     * source has it as an integer scalar, never required, and not recorded by shape recording (it is
     * no parameter).
     */
    public void acceptCounter(String name) {
        String key = prefix + name;
        int[] stored = source instanceof ZeroSource ? null : source.shape(key);
        if (stored == null) {
            return;
        }
        DType dtype = source.dtype(key);
        if (stored.length != 0 || dtype == null || dtype.isFloating()) {
            throw new IllegalArgumentException("counter " + key + " should be an integer scalar, got " + dtype + " "
                    + Arrays.toString(stored) + " (" + source.describe() + ")");
        }
        used.put(key, stored);
    }

    /** Every key requested so far with the shape the model asked for. */
    public Map<String, int[]> requested() {
        return new TreeMap<>(used);
    }

    /** Fails naming every key of the source that no layer requested. */
    public void requireAllUsed() {
        Set<String> unused = new TreeSet<>(source.keys());
        unused.removeAll(used.keySet());
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(unused.size() + " unused parameter(s) in " + source.describe() + ": " + unused);
        }
    }
}
