package dev.jsam.kernels.cuda;

/**
 * Which code runs the GEMMs of a {@link CudaBackend}: our SGEMM PTX kernel in exact fp32
 * (needs only the driver, libcuda.so.1; the default), the same tiling on TF32 tensor cores (fp32
 * accumulation, ~1e-3 relative: outside the conformance bounds), the split-precision 3xTF32
 * tensor-core kernel (three TF32 products per fp32 product: within the fp32 bounds in the CPU
 * emulation, not yet run on a GPU), the bf16 tensor-core kernel (~2.4e-3 relative, opt-in for
 * speed), or cuBLAS's fp32 SGEMM (libcublas.so.13 or .so.12, bound by {@link CublasGemm}; where
 * neither loads, creating the backend fails naming them).
 */
public enum GemmEngine {
    KERNEL, KERNEL_TF32, KERNEL_3XTF32, KERNEL_BF16, CUBLAS
}
