package dev.jsam.nn;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Weights straight from a safetensors file: each tensor is a slice of the mapped file handed
 * to the backend without a copy where it can read host memory (the CPU backend does). F16 and
 * BF16 tensors stay mapped as they are; {@link Weights#get} converts them to F32 when asked.
 * Thread-safe: the file is immutable and each get builds a new tensor.
 */
public final class SafetensorsSource implements Weights.Source {
    private final SafetensorsFile file;
    private final Backend backend;

    public SafetensorsSource(SafetensorsFile file, Backend backend) {
        this.file = file;
        this.backend = backend;
    }

    /** Opens and validates the file (errors name the file and the tensor). */
    public static SafetensorsSource open(Path path, Backend backend) throws IOException {
        return new SafetensorsSource(SafetensorsFile.open(path), backend);
    }

    public SafetensorsFile file() {
        return file;
    }

    @Override
    public Set<String> keys() {
        return new LinkedHashSet<>(file.names());
    }

    @Override
    public Tensor get(String key) {
        SafetensorsFile.Entry e = entry(key);
        return e == null ? null : backend.wrapHost(e.dtype(), e.data(), e.shape());
    }

    @Override
    public int[] shape(String key) {
        SafetensorsFile.Entry e = entry(key);
        return e == null ? null : e.shape();
    }

    @Override
    public DType dtype(String key) {
        SafetensorsFile.Entry e = entry(key);
        return e == null ? null : e.dtype();
    }

    private SafetensorsFile.Entry entry(String key) {
        try {
            return file.contains(key) ? file.get(key) : null;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public String describe() {
        return file.path().toString();
    }
}
