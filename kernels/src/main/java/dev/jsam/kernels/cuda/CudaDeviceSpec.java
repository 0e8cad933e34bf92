package dev.jsam.kernels.cuda;

import java.util.Locale;

/**
 * A parsed `--device` value for the CUDA backend: "cuda" or "cuda:N" selects device N (default
 * 0) with jsam's own fp32 GEMM kernel; a trailing ":tc" selects the 3xTF32 tensor-core GEMM
 * (fp32 accuracy), ":bf16" the bf16 tensor-core GEMM, ":tf32" the plain TF32 one, ":cublas" cuBLAS. Parsing touches no driver, so a malformed value fails the same way with or without a GPU.
 */
record CudaDeviceSpec(int ordinal, GemmEngine engine) {

    static CudaDeviceSpec parse(String spec) {
        String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":", -1);
        if (!parts[0].equals("cuda") || parts.length > 3) {
            throw new IllegalArgumentException(usage(spec));
        }
        int ordinal = 0;
        GemmEngine engine = GemmEngine.KERNEL;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("cublas") && i == parts.length - 1) {
                engine = GemmEngine.CUBLAS;
            } else if (p.equals("tf32") && i == parts.length - 1) {
                engine = GemmEngine.KERNEL_TF32;
            } else if (p.equals("tc") && i == parts.length - 1) {
                engine = GemmEngine.KERNEL_3XTF32;
            } else if (p.equals("bf16") && i == parts.length - 1) {
                engine = GemmEngine.KERNEL_BF16;
            } else if (i == 1 && p.matches("\\d{1,4}")) {
                ordinal = Integer.parseInt(p);
            } else {
                throw new IllegalArgumentException(usage(spec));
            }
        }
        return new CudaDeviceSpec(ordinal, engine);
    }

    private static String usage(String spec) {
        return "bad CUDA device \"" + spec + "\": use cuda or cuda:N, optionally followed by :tc, :bf16, :tf32 or :cublas";
    }
}
