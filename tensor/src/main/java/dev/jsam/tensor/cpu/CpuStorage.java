package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Storage;

import java.lang.foreign.MemorySegment;

/**
 * Host memory of the CPU backend: any MemorySegment. Results of ops live in heap arrays (the
 * garbage collector bounds them); mapped weight files are native segments used in place.
 * Immutable, thread-safe.
 */
public record CpuStorage(CpuBackend backend, MemorySegment segment) implements Storage {
    @Override
    public long byteSize() {
        return segment.byteSize();
    }
}
