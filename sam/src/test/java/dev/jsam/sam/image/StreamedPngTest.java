package dev.jsam.sam.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A PNG written from rows produced a strip at a time is byte for byte the file ImageIO writes for
 * the same pixels held whole (grey and RGB, one row high, strips that do not divide the height),
 * and the source's IOException comes out as itself.
 */
class StreamedPngTest {
    @TempDir
    Path tmp;

    @Test
    void streamedPngsEqualWholeImagePngs() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        int[][] sizes = {{37, 23}, {1, 50}, {64, 1}};
        for (int[] s : sizes) {
            int w = s[0], h = s[1];
            byte[] grey = new byte[w * h];
            byte[] rgb = new byte[3 * w * h];
            for (int i = 0; i < grey.length; i++) {
                grey[i] = (byte) (r.nextInt(4) * 85);
            }
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (byte) r.nextInt(256);
            }
            Images.writeGreyPng(grey, w, h, tmp.resolve("g.png"));
            Images.writePng(w, h, 1, 5, (y0, y1, dst) -> System.arraycopy(grey, y0 * w, dst, 0, (y1 - y0) * w),
                    tmp.resolve("gs.png"));
            assertArrayEquals(Files.readAllBytes(tmp.resolve("g.png")), Files.readAllBytes(tmp.resolve("gs.png")));
            RgbImage image = RgbImage.of(w, h, rgb);
            Images.writePng(image, tmp.resolve("c.png"));
            Images.writePng(w, h, 3, 4, (y0, y1, dst) -> image.copyRows(y0, y1, dst, 0), tmp.resolve("cs.png"));
            assertArrayEquals(Files.readAllBytes(tmp.resolve("c.png")), Files.readAllBytes(tmp.resolve("cs.png")));
            assertEquals(image, Images.read(tmp.resolve("cs.png")));
        }
    }

    @Test
    void theSourcesIoExceptionIsThrownAsItself() {
        IOException broken = new IOException("disk gone");
        IOException got = assertThrows(IOException.class, () -> Images.writePng(4, 4, 1, 2, (y0, y1, dst) -> {
            throw broken;
        }, tmp.resolve("x.png")));
        assertSame(broken, got);
    }
}
