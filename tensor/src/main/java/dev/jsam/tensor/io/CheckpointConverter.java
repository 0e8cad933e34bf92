package dev.jsam.tensor.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A service that converts checkpoints of another format to safetensors, so that a model loader
 * can take them as they are: found with {@link java.util.ServiceLoader} (META-INF/services on the
 * class path, {@code provides} on the module path). jsam-weights-converter provides the one for
 * PyTorch .pth files; without it on the path, loaders say how to convert instead. Implementations
 * must be cheap to create, thread-safe, and must never run code found in a file.
 */
public interface CheckpointConverter {

    /** The format converted, for messages: "PyTorch .pth". */
    String format();

    /**
     * Whether the file is in this converter's format, decided by parsing its structure (a zip's
     * central directory, a pickle's first object), never by its name or first bytes alone; cheap:
     * it reads no tensor data.
     *
     * @throws IOException if the file cannot be read
     */
    boolean recognises(Path file) throws IOException;

    /**
     * Converts {@code in}, a file this converter {@link #recognises}, to the safetensors file
     * {@code out} (replaced if it exists), keeping every tensor's dtype. On failure {@code out} is
     * left as it was.
     *
     * @throws IOException naming the file and what is wrong when it cannot be converted
     */
    void convert(Path in, Path out) throws IOException;
}
