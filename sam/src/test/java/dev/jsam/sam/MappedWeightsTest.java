package dev.jsam.sam;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading a full-size vit_b checkpoint maps its tensors instead of copying them onto the heap:
 * a 375 MB safetensors file (synthetic vit_b weights) is written, loaded, and the heap must grow
 * by far less than the file while every weight stays reachable from the model.
 */
@Tag("slow")
class MappedWeightsTest {
    @TempDir
    Path tmp;

    @Test
    void vitBLoadsWithoutCopyingWeightsOntoTheHeap() throws Exception {
        Path file = tmp.resolve("vit_b_synthetic.safetensors");
        try (CpuBackend backend = CpuBackend.create()) {
            new SyntheticWeights(SamConfig.vitB(), backend).writeSafetensors(file);
            long fileBytes = Files.size(file);
            assertTrue(fileBytes > 350_000_000L, "vit_b is about 375 MB, got " + fileBytes);

            long before = usedHeapAfterGc();
            Sam sam = Sam.fromSource(SafetensorsSource.open(file, backend), backend);
            long after = usedHeapAfterGc();
            long grown = after - before;
            System.out.printf("vit_b: %d MB of weights mapped; heap grew by %.1f MB%n", fileBytes >> 20, grown / 1e6);
            assertEquals("vit_b", sam.config().name());
            assertTrue(grown < 40_000_000L, "heap grew by " + grown + " bytes while loading " + fileBytes + " bytes of weights");
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
