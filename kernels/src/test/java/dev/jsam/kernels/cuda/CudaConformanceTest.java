package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.conformance.BackendConformanceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The backend conformance suite on device 0 with jsam's own kernels and, nested, with cuBLAS
 * GEMMs. Skipped (reason printed) where no CUDA driver or device is present, or, for the nested
 * class, where cuBLAS (libcublas.so.13 or .so.12) does not load.
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
}
