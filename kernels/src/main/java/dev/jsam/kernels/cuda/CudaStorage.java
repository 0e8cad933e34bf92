package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Storage;
import jcuda.driver.CUdeviceptr;

/**
 * Device memory behind CUDA tensors: one block of the backend's {@link DeviceAllocator}, which
 * takes the block back into its cache once this storage is unreachable. Views share the storage;
 * nothing here reads the data.
 */
final class CudaStorage implements Storage {
    private final CudaBackend backend;
    private final CUdeviceptr pointer;
    private final long byteSize;

    CudaStorage(CudaBackend backend, DeviceAllocator allocator, long byteSize) {
        this.backend = backend;
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

    /** The block's base address. */
    CUdeviceptr pointer() {
        return pointer;
    }
}
