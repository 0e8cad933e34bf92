package dev.jsam.kernels.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The --device values the CLI passes to CudaBackend.forDevice: accepted forms and malformed
 * values parse without a GPU; a well-formed value without a GPU fails with CudaUnavailableException.
 */
class CudaDeviceSpecTest {
    @Test
    void acceptedForms() {
        assertEquals(new CudaDeviceSpec(0, GemmEngine.KERNEL), CudaDeviceSpec.parse("cuda"));
        assertEquals(new CudaDeviceSpec(1, GemmEngine.KERNEL), CudaDeviceSpec.parse("cuda:1"));
        assertEquals(new CudaDeviceSpec(0, GemmEngine.CUBLAS), CudaDeviceSpec.parse("CUDA:cublas"));
        assertEquals(new CudaDeviceSpec(2, GemmEngine.CUBLAS), CudaDeviceSpec.parse("cuda:2:cublas"));
        assertEquals(new CudaDeviceSpec(1, GemmEngine.KERNEL_TF32), CudaDeviceSpec.parse("cuda:1:tf32"));
        assertEquals(new CudaDeviceSpec(0, GemmEngine.KERNEL_3XTF32), CudaDeviceSpec.parse("cuda:tc"));
        assertEquals(new CudaDeviceSpec(3, GemmEngine.KERNEL_BF16), CudaDeviceSpec.parse("cuda:3:BF16"));
    }

    @Test
    void malformedValuesFailBeforeTouchingTheDriver() {
        for (String bad : new String[] {"cpu", "cuda:", "cuda:x", "cuda:1:2", "cuda:cublas:1", "cuda:tf32:cublas", "cuda:tc:1", "cuda:bf16:tc", "cuda:-1", "gpu:0"}) {
            assertThrows(IllegalArgumentException.class, () -> CudaBackend.forDevice(bad), bad);
        }
    }

    @Test
    void aWellFormedValueWithoutAGpuNamesTheCause() {
        CudaTestSupport.assumeNoGpu();
        assertThrows(CudaUnavailableException.class, () -> CudaBackend.forDevice("cuda:0"));
    }
}
