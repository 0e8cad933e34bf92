package dev.jsam.sam.modeling;

import dev.jsam.sam.Golden;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A loaded Sam owns its mapped weights: closing unmaps the file (it leaves the process's memory
 * map at once, not when the GC runs), every later use is a clear IllegalStateException, and a
 * backend that load opened is closed with it while one passed in stays the caller's.
 */
class SamCloseTest {
    private static final Path MAPS = Path.of("/proc/self/maps");

    @TempDir
    Path tmp;

    @Test
    void closingUnmapsTheWeightsAndRefusesUse() throws IOException {
        assumeTrue(Files.isReadable(MAPS), "needs /proc/self/maps (Linux) to see the mapping");
        Path file = Files.copy(Golden.testdata("golden/tiny/sam_tiny.safetensors"), tmp.resolve("own.safetensors"));
        try (CpuBackend backend = CpuBackend.create(2)) {
            Sam sam = Sam.load(file, backend);
            SamPredictor predictor = new SamPredictor(sam);
            predictor.setImage(RgbImage.of(8, 6, new byte[8 * 6 * 3]));
            assertTrue(mapped(file), "the weights are mapped while the model is open");

            sam.close();
            assertFalse(mapped(file), "close unmaps the weights");
            assertFalse(sam.isOpen());
            for (Runnable use : new Runnable[] {
                    () -> predictor.predict(new double[] {1, 1}, new int[] {1}, null, null, true, false),
                    () -> predictor.setImage(RgbImage.of(8, 6, new byte[8 * 6 * 3])),
                    () -> new SamPredictor(sam).setImage(RgbImage.of(8, 6, new byte[8 * 6 * 3])),
                    sam::imageEncoder}) {
                IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
                assertTrue(e.getMessage().startsWith("this Sam was closed (custom"), e.getMessage());
            }
            sam.close();
            Tensor stillUsable = backend.zeros(DType.F32, 4).add(1f);
            assertEquals(4f, stillUsable.sum(0, false).item(), "a backend passed in stays open");
        }
    }

    @Test
    void aBackendThatLoadOpenedIsClosedWithTheModel() throws IOException {
        Sam sam = Sam.load(Golden.testdata("golden/tiny/sam_tiny.safetensors"));
        Tensor big = sam.backend().zeros(DType.F32, 1 << 20);
        assertEquals(1f, big.add(1f).max(0, false).item(), "the backend works while the model is open");
        sam.close();
        assertThrows(RejectedExecutionException.class, () -> big.add(1f), "its threads are gone");
    }

    private static boolean mapped(Path file) throws IOException {
        return Files.readString(MAPS).contains(file.toAbsolutePath().toString());
    }
}
