package dev.jsam.kernels.cuda;

import dev.jsam.kernels.KernelModule;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * On a GPU: every module's PTX for the device's compute capability goes through the driver's
 * JIT (cuModuleLoadData) and yields every entry point the catalogue lists, whether or not a
 * model run would touch it. Skipped without a GPU.
 */
class CudaModuleLoadTest {
    @Test
    void everyModuleLoadsForThisCardsArchitecture() {
        CudaTestSupport.assumeGpu();
        try (CudaContext context = CudaContext.open(0)) {
            for (KernelModule m : KernelModule.values()) {
                for (String entry : m.entryPoints()) {
                    assertNotNull(context.function(entry), entry);
                }
                System.out.println("[modules] " + context.deviceName() + " (compute capability " + context.computeCapability()
                        + "): " + m.fileName() + " loaded, " + m.entryPoints().size() + " entry points");
            }
        }
    }
}
