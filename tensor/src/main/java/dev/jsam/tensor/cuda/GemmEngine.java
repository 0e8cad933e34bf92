package dev.jsam.tensor.cuda;

/**
 * Which code runs the GEMMs of a {@link CudaBackend}: our SGEMM PTX kernel (needs only the
 * driver, libcuda.so.1) or cuBLAS through JCublas2 (needs libcublas.so.12, which a CUDA 13
 * machine may lack: then creating the backend fails naming it).
 */
public enum GemmEngine {
    KERNEL, CUBLAS
}
