package dev.jsam.kernels.cuda;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Skips GPU tests where they cannot run: probes device 0 (and cuBLAS) once per JVM, prints the
 * reason once, and turns every GPU test into a skipped test with that reason.
 */
final class CudaTestSupport {
    private static String gpuReason;
    private static String cublasReason;
    private static boolean probed;

    private CudaTestSupport() {
    }

    private static synchronized void probe() {
        if (probed) {
            return;
        }
        probed = true;
        gpuReason = CudaBackend.unavailableReason();
        if (gpuReason != null) {
            cublasReason = "no GPU";
            System.out.println("[cuda tests] skipped: " + gpuReason);
            return;
        }
        try {
            CudaBackend.create(0, GemmEngine.CUBLAS).close();
        } catch (CudaUnavailableException e) {
            cublasReason = e.getMessage();
            System.out.println("[cuda tests] cuBLAS variants skipped: " + cublasReason);
        }
    }

    static void assumeGpu() {
        probe();
        assumeTrue(gpuReason == null, () -> "no usable CUDA device: " + gpuReason);
    }

    /** For tests of the failure path: skipped where a GPU is present. */
    static void assumeNoGpu() {
        probe();
        assumeTrue(gpuReason != null, "a GPU is present");
    }

    static void assumeCublas() {
        probe();
        assumeTrue(gpuReason == null && cublasReason == null, () -> "cuBLAS unavailable: " + cublasReason);
    }
}
