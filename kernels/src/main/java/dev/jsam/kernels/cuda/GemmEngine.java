package dev.jsam.kernels.cuda;

/**
 * Which code runs the GEMMs of a {@link CudaBackend}: our SGEMM PTX kernel in exact fp32
 * (needs only the driver, libcuda.so.1), the same tiling on TF32 tensor cores (fp32
 * accumulation, ~1e-3 relative: outside the conformance bounds, for model-level accuracy
 * checks and speed), or cuBLAS's fp32 SGEMM (libcublas.so.13 or .so.12, bound by {@link CublasGemm};
 * where neither loads, creating the backend fails naming them).
 */
public enum GemmEngine {
    KERNEL, KERNEL_TF32, CUBLAS
}
