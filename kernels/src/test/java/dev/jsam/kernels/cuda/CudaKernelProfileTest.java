package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel profile: on the dry-run device, the launches between start and stop are reported
 * and nothing else; on a GPU (skipped without one), the table names each kernel with its launch
 * count and a positive time.
 */
class CudaKernelProfileTest {
    @Test
    void reportsTheLaunchesBetweenStartAndStop() {
        try (CudaBackend be = new CudaBackend(new DryRunDevice(), GemmEngine.KERNEL, null)) {
            Tensor x = Tensor.of(be, new float[12], 3, 4);
            x.gelu();
            be.startKernelProfile();
            x.add(x);
            be.linear(x, Tensor.of(be, new float[8], 2, 4), null, Activation.NONE);
            assertEquals("binary_dense_f32\nsgemm_f32", be.stopKernelProfile());
        }
    }

    @Test
    void stoppingWithoutStartingIsAnError() {
        CudaTestSupport.assumeGpu();
        try (CudaBackend be = CudaBackend.create(0)) {
            assertThrows(IllegalStateException.class, be::stopKernelProfile);
        }
    }

    @Test
    void timesEveryKernelOnTheGpu() {
        CudaTestSupport.assumeGpu();
        try (CudaBackend be = CudaBackend.create(0)) {
            Tensor x = Tensor.of(be, new float[256 * 256], 256, 256);
            be.startKernelProfile();
            for (int i = 0; i < 3; i++) {
                x.matmul(x).gelu();
            }
            String report = be.stopKernelProfile();
            for (String line : new String[] {"sgemm_f32 +3 +[0-9.]*[1-9]", "unary_dense_f32 +3 +[0-9.]*[1-9]", "total +6 "}) {
                assertTrue(Pattern.compile("(?m)^" + line).matcher(report).find(), line + " not in\n" + report);
            }
        }
    }
}
