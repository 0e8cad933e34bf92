package dev.jsam.tensor.cuda;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Storage;
import jcuda.driver.CUdeviceptr;

import java.lang.ref.Cleaner;

/**
 * Device memory behind CUDA tensors: one block of the backend's {@link DeviceAllocator}. When
 * the storage becomes unreachable a Cleaner hands the block back to the allocator's cache (no
 * driver call on the cleaner thread). Views share the storage; nothing here reads the data.
 */
final class CudaStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final CUdeviceptr pointer;
    private final long byteSize;

    CudaStorage(CudaBackend backend, DeviceAllocator allocator, long byteSize) {
        this.backend = backend;
        this.byteSize = byteSize;
        this.pointer = allocator.allocate(Math.max(byteSize, 1));
        CUdeviceptr p = pointer;
        long size = Math.max(byteSize, 1);
        CLEANER.register(this, () -> allocator.release(p, size));
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public long byteSize() {
        return byteSize;
    }

    /** The block's base address. */
    CUdeviceptr pointer() {
        return pointer;
    }
}
