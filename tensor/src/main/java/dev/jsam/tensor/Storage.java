package dev.jsam.tensor;

/**
 * The memory behind one or more tensors, owned by a backend: host memory for the CPU backend
 * (a MemorySegment: heap, native or a mapped file), device memory for a GPU backend. Nothing
 * outside a backend reads a Storage directly; data leaves through {@link Backend#copyToHost}.
 * Implementations are immutable handles (the memory behind them is written only by the op that
 * creates it), so thread-safe.
 */
public interface Storage {
    /** The backend that allocated this memory and runs ops on it. */
    Backend backend();

    /** Size in bytes. */
    long byteSize();
}
