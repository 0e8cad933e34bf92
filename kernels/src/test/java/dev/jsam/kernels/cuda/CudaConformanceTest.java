package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.conformance.BackendConformanceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The backend conformance suite on device 0 with jsam's own kernels and, nested, with cuBLAS
 * GEMMs and with the 3xTF32 tensor-core GEMM (held to the same fp32 table). Skipped (reason
 * printed) where no CUDA driver or device is present, or, for the cuBLAS class, where cuBLAS
 * (libcublas.so.13 or .so.12) does not load.
 */
class CudaConformanceTest extends BackendConformanceTest {

    @BeforeEach
    void requireGpu() {
        CudaTestSupport.assumeGpu();
    }

    @Override
    protected Backend createBackend() {
        return CudaBackend.create(0);
    }

    @Nested
    class WithCublas extends BackendConformanceTest {
        @BeforeEach
        void requireCublas() {
            CudaTestSupport.assumeCublas();
        }

        @Override
        protected Backend createBackend() {
            return CudaBackend.create(0, GemmEngine.CUBLAS);
        }
    }

    @Nested
    class WithTensorCores extends BackendConformanceTest {
        @BeforeEach
        void requireGpu() {
            CudaTestSupport.assumeGpu();
        }

        @Override
        protected Backend createBackend() {
            return CudaBackend.create(0, GemmEngine.KERNEL_3XTF32);
        }
    }
}
