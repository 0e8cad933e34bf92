package dev.jsam.sam.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writing the PNGs of `sam predict` must not need java.io.tmpdir: a JVM whose temp dir does not
 * exist (a container without /tmp, say) once failed with ImageIO's "Can't create cache file!".
 * Runs {@link #main} in such a JVM and reads back what it wrote.
 */
class PngWithoutTempDirTest {
    /** Child process: writes a 3 x 2 grey PNG to args[0]. */
    public static void main(String[] args) throws IOException {
        Images.writeGreyPng(new byte[] {0, (byte) 255, 0, (byte) 255, 0, (byte) 255}, 3, 2, Path.of(args[0]));
    }

    @Test
    void pngsAreWrittenWhenTheTempDirIsMissing(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("mask.png");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "-Djava.io.tmpdir=" + dir.resolve("missing"), "-cp",
                System.getProperty("java.class.path"), PngWithoutTempDirTest.class.getName(), png.toString()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), output);
        RgbImage back = Images.read(png);
        assertEquals(3, back.width());
        assertEquals(2, back.height());
        assertArrayEquals(new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255}, Arrays.copyOf(back.toHwcBytes(), 6));
        assertTrue(Files.size(png) > 0);
    }
}
