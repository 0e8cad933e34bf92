package dev.jsam.kernels.cuda;

/**
 * Which of gemm.cu's kernels runs a GEMM for a {@link GemmEngine}, and its launch shape: the
 * square output tile one block computes and the threads per block. The fp32 engine takes the
 * 128 x 128 tiles once they give every multiprocessor a block (both fp32 kernels compute the same
 * bits); cuBLAS calls whose strides it cannot take run the fp32 kernels too.
 */
record GemmKernel(String entryPoint, int tile, int threads) {

    static GemmKernel choose(GemmEngine engine, boolean fillsWithLargeTiles) {
        return switch (engine) {
            case KERNEL, CUBLAS -> fillsWithLargeTiles ? new GemmKernel("sgemm_128_f32", 128, 256)
                    : new GemmKernel("sgemm_f32", 64, 256);
            case KERNEL_TF32 -> new GemmKernel("sgemm_tf32_f32", 64, 128);
            case KERNEL_3XTF32 -> new GemmKernel("sgemm_3xtf32_f32", 128, 256);
            case KERNEL_BF16 -> new GemmKernel("sgemm_bf16_f32", 128, 256);
        };
    }
}
