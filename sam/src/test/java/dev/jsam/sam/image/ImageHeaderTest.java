package dev.jsam.sam.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The header says, before any decoding, the upright size that read() returns and how many bytes
 * per pixel its decoder fills: grey, RGB, RGBA and 16-bit PNGs, a JPEG, a photo turned upright.
 */
class ImageHeaderTest {
    @TempDir
    Path tmp;

    @Test
    void headerGivesTheUprightSizeAndTheDecodersBytesPerPixel() throws IOException {
        assertHeader(BufferedImage.TYPE_BYTE_GRAY, "png", 1);
        assertHeader(BufferedImage.TYPE_3BYTE_BGR, "png", 3);
        assertHeader(BufferedImage.TYPE_4BYTE_ABGR, "png", 4);
        assertHeader(BufferedImage.TYPE_USHORT_GRAY, "png", 2);
        assertHeader(BufferedImage.TYPE_3BYTE_BGR, "jpg", 3);

        Path turned = tmp.resolve("turned.png");
        Files.write(turned, ExifFiles.pngWithExif(new BufferedImage(40, 30, BufferedImage.TYPE_3BYTE_BGR),
                ExifFiles.exif(ByteOrder.BIG_ENDIAN, ExifFiles.Entry.orientation(6)), false));
        ImageHeader h = Images.header(turned, ExifOrientation.APPLY);
        assertEquals(new ImageHeader(30, 40, 3, true), h);
        RgbImage read = Images.read(turned);
        assertEquals(h.width(), read.width());
        assertEquals(h.height(), read.height());
        assertEquals(30L * 40 * 6, h.decodeBytes());
        assertEquals(new ImageHeader(40, 30, 3, false), Images.header(turned, ExifOrientation.IGNORE));
        assertThrows(IOException.class, () -> Images.header(tmp, ExifOrientation.APPLY));
    }

    private void assertHeader(int type, String format, int bytesPerPixel) throws IOException {
        Path f = tmp.resolve("i" + type + "." + format);
        ImageIO.write(new BufferedImage(17, 9, type), format, f.toFile());
        ImageHeader h = Images.header(f, ExifOrientation.APPLY);
        assertEquals(new ImageHeader(17, 9, bytesPerPixel, false), h, f.toString());
        assertEquals(17L * 9 * (bytesPerPixel + 3), h.decodeBytes());
    }
}
