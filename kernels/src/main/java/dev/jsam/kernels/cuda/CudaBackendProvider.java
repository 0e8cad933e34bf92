package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.BackendProvider;

/**
 * Registers the CUDA backend with {@link dev.jsam.tensor.Backends} under the kind "cuda": device
 * strings {@code cuda[:N][:tc|:bf16|:tf32|:cublas]} as {@link CudaBackend#forDevice} parses them. Loading
 * this class touches no JCuda class; opening does.
 */
public final class CudaBackendProvider implements BackendProvider {
    @Override
    public String kind() {
        return "cuda";
    }

    @Override
    public Backend open(String device, int threads) {
        return CudaBackend.forDevice(device);
    }
}
