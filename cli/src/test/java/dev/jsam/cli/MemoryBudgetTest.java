package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Work that would pass the memory budget is refused before it starts, in one line that says what
 * it needs and how to raise the budget, and leaves no output; the estimate grows with the image's
 * pixels and (for amg) the point batch, not with the number of prompts beyond one decoder call.
 */
class MemoryBudgetTest {
    @TempDir
    Path tmp;

    /** A black grey-scale PNG of w x h: a few KB on disk, w x h x 4 bytes to decode. */
    static Path blackPng(Path dir, int w, int h) throws Exception {
        Path f = dir.resolve("black-" + w + "x" + h + ".png");
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "png", f.toFile());
        return f;
    }

    @Test
    void predictOverTheBudgetIsRefusedBeforeAnyWork() throws Exception {
        Path image = blackPng(tmp, 4000, 4000);
        Path out = tmp.resolve("out");
        long t0 = System.nanoTime();
        SamCliTest.Run r = SamCliTest.sam("predict", "--checkpoint", SamCliTest.checkpoint(), "--image", image.toString(),
                "--point", "10,10", "--memory-mb", "64", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        String line = r.err().strip();
        assertFalse(line.contains("\n"), "one line: " + line);
        assertTrue(line.contains("4000 x 4000 image") && line.contains("over the budget of 64 MB")
                && line.contains("--memory-mb "), line);
        assertFalse(Files.exists(out), "no output folder");
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "refused before encoding");
    }

    @Test
    void amgOverTheBudgetIsRefusedAndAFolderSkipsTheImage() throws Exception {
        Path image = blackPng(tmp, 4000, 4000);
        SamCliTest.Run r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", image.toString(),
                "--memory-mb", "64", "--output", tmp.resolve("masks").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("segmenting everything in this 4000 x 4000 image needs about"), r.err());
        assertFalse(Files.exists(tmp.resolve("masks")));

        Path folder = Files.createDirectory(tmp.resolve("in"));
        Files.move(image, folder.resolve("big.png"));
        SamCliTest.Run f = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", folder.toString(),
                "--memory-mb", "64", "--output", tmp.resolve("masks").toString());
        assertEquals(1, f.code(), f.err());
        assertTrue(f.err().contains("skipping " + folder.resolve("big.png") + ": segmenting everything"), f.err());
    }

    @Test
    void aBudgetAboveTheJavaHeapIsRefused() {
        long max = Runtime.getRuntime().maxMemory() >> 20;
        SamCliTest.Run r = SamCliTest.sam("predict", "--checkpoint", SamCliTest.checkpoint(), "--image",
                SamCliTest.dog(), "--point", "10,10", "--memory-mb", String.valueOf(max + 1024),
                "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("more than the JVM's maximum heap") && r.err().contains("-Xmx"), r.err());
    }

    @Test
    void estimatesFollowPixelsAndBatchesNotPromptCounts() throws Exception {
        try (CpuBackend be = CpuBackend.create(1);
             Sam sam = Sam.load(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be)) {
            SamConfig c = sam.config();
            ImageHeader small = Images.header(blackPng(tmp, 1000, 1000), ExifOrientation.APPLY);
            ImageHeader large = Images.header(blackPng(tmp, 4000, 4000), ExifOrientation.APPLY);
            long one = MemoryBudget.predict(c, small, 1, 3, true);
            assertEquals(MemoryBudget.predict(c, small, 16, 3, true) + 284 * 3 * 1024,
                    MemoryBudget.predict(c, small, 300, 3, true), "prompts beyond one call add only their JSON");
            assertTrue(MemoryBudget.predict(c, large, 1, 3, true) - one >= 3 * 15_000_000L,
                    "3 bytes per pixel more for the larger image");
            assertTrue(MemoryBudget.amg(c, large, AmgParams.defaults()) > MemoryBudget.amg(c, small, AmgParams.defaults())
                    + 13 * 15_000_000L);
        }
    }
}
