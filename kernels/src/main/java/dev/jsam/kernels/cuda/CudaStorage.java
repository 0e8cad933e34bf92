package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.ScopedStorage;
import jcuda.driver.CUdeviceptr;

/**
 * Device memory behind CUDA tensors: one block of the backend's {@link DeviceAllocator}. Made
 * inside a {@link dev.jsam.tensor.TensorScope}, the block goes back to the allocator's cache when
 * the scope closes, with no garbage collection; otherwise once this storage is unreachable.
 * Views share the storage; nothing here reads the data.
 */
final class CudaStorage extends ScopedStorage {
    private final CudaBackend backend;
    private final DeviceAllocator allocator;
    private final CUdeviceptr pointer;
    private final long byteSize;

    CudaStorage(CudaBackend backend, DeviceAllocator allocator, long byteSize) {
        this.backend = backend;
        this.allocator = allocator;
        this.byteSize = byteSize;
        this.pointer = allocator.allocate(this, Math.max(byteSize, 1));
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public long byteSize() {
        return byteSize;
    }

    /** The block's base address; fails once the storage's scope has closed. */
    CUdeviceptr pointer() {
        requireLive();
        return pointer;
    }

    @Override
    protected void free() {
        allocator.free(pointer);
    }
}
