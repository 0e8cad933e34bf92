package dev.jsam.tensor.cpu;

import dev.jsam.tensor.ScopedStorage;

import java.lang.foreign.MemorySegment;

/**
 * Host memory of the CPU backend: any MemorySegment. Results of ops live in heap float arrays;
 * mapped weight files are native segments used in place. An op result created inside a
 * {@link dev.jsam.tensor.TensorScope} gives its array back to the backend's {@link BufferPool}
 * when the scope closes; array is null for memory the backend does not own (mapped, wrapped
 * host segments). Thread-safe.
 */
public final class CpuStorage extends ScopedStorage {
    private final CpuBackend backend;
    private final MemorySegment segment;
    private final float[] array;

    CpuStorage(CpuBackend backend, MemorySegment segment, float[] array) {
        this.backend = backend;
        this.segment = segment;
        this.array = array;
    }

    @Override
    public CpuBackend backend() {
        return backend;
    }

    /** The memory; callers check {@link #requireLive()} first. */
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public long byteSize() {
        return segment.byteSize();
    }

    @Override
    protected void free() {
        if (array != null) {
            backend.pool().give(array);
        }
    }
}
