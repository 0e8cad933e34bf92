package dev.jsam.kernels.cuda;

import dev.jsam.tensor.BackendUnavailableException;

/**
 * Thrown when the GPU was asked for but cannot be used: JCuda's natives or libcuda.so.1 do not
 * load, the driver has no device of that ordinal, or an optional library (cuBLAS) is missing.
 * The message names what is missing. Nothing ever falls back to the CPU in its place.
 */
public final class CudaUnavailableException extends BackendUnavailableException {
    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public CudaUnavailableException(String message) {
        super(message);
    }
}
