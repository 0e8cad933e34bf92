package dev.jsam.tensor;

import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Device strings: the CPU kinds open here; "cuda" without jsam-kernels on the class path (it is
 * not on this module's) names the missing artifact; malformed strings are argument errors. And
 * the fast CPU backend fails at creation, naming the flag, in a JVM without the Vector API.
 */
class BackendsTest {
    @Test
    void cpuKindsOpenWithTheirThreads() {
        try (Backend b = Backends.open("cpu", 3)) {
            assertEquals("cpu", b.name());
            assertEquals(3, ((CpuBackend) b).parallel().threads());
        }
        try (Backend b = Backends.open(" cpu-reference ")) {
            assertTrue(((CpuBackend) b).isReference());
        }
    }

    @Test
    void cudaWithoutTheKernelsModuleNamesTheArtifact() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda:0"));
        assertTrue(e.getMessage().contains("dev.jsam:jsam-kernels"), e.getMessage());
    }

    @Test
    void malformedOrUnknownDevicesAreArgumentErrors() {
        for (String bad : List.of("tpu", "", ":0", "CPU", "cpu:1", "cuda0!")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open(bad), bad);
            assertTrue(e.getMessage().contains("expected cpu, cpu-reference, cuda"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Backends.open("cpu", 0));
    }

    /** Child process: opens the fast CPU backend; its stderr is read back by the test. */
    public static void main(String[] args) {
        CpuBackend.create(1).close();
    }

    @Test
    void withoutTheVectorApiTheFastBackendFailsAtOnceNamingTheFlag() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                BackendsTest.class.getName())).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.contains("IllegalStateException: jsam's CPU backend needs the Vector API: start java with"
                + " --add-modules jdk.incubator.vector"), output);
    }
}
