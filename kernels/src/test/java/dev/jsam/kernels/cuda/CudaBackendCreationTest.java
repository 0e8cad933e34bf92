package dev.jsam.kernels.cuda;

import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Asking for the GPU where it cannot be had fails loudly with CudaUnavailableException naming
 * the cause, never with a CPU fallback. Runs everywhere: without a driver the cause is the
 * missing libcuda.so.1, with one it is the missing device ordinal.
 */
class CudaBackendCreationTest {
    @Test
    void theCudaBackendIsForOneThreadAtATimeTheCpuOnesAreNot() {
        try (CudaBackend be = new CudaBackend(new DryRunDevice(), GemmEngine.KERNEL, null)) {
            assertFalse(be.concurrentUse());
        }
        try (CpuBackend cpu = CpuBackend.create(1)) {
            assertTrue(cpu.concurrentUse());
        }
        assertTrue(CpuBackend.reference().concurrentUse());
    }

    @Test
    void aDeviceThatIsNotThereFailsWithAClearMessage() {
        CudaUnavailableException e = assertThrows(CudaUnavailableException.class, () -> CudaBackend.create(4096));
        assertTrue(e.getMessage().contains("libcuda.so.1") || e.getMessage().contains("no CUDA device 4096"), e.getMessage());
    }

    @Test
    void negativeOrdinalFailsToo() {
        assertThrows(CudaUnavailableException.class, () -> CudaBackend.create(-1));
    }
}
