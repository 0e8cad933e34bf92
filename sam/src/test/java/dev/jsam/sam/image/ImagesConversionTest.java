package dev.jsam.sam.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images.read on files of each kind written here with ImageIO: grey, palette, 16-bit and alpha
 * PNGs become RGB as Pillow's convert("RGB") gives them; BMP, GIF and JPEG read; PNGs written by
 * Images read back unchanged.
 */
class ImagesConversionTest {

    @TempDir
    Path dir;

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, file.toFile()), "ImageIO wrote " + name);
        return file;
    }

    /** The PNG's IHDR bit depth and colour type, to be sure a test reads the kind of file it means. */
    private static int[] pngDepthAndColourType(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        return new int[] {bytes[24], bytes[25]};
    }

    private static void assertGreyRow(RgbImage image, int... expected) {
        for (int x = 0; x < expected.length; x++) {
            int v = expected[x];
            assertEquals(v << 16 | v << 8 | v, image.rgb(x, 0), "pixel " + x);
        }
    }

    @Test
    void greyIsReplicatedWithoutGammaConversion() throws IOException {
        BufferedImage grey = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setPixels(0, 0, 4, 1, new int[] {0, 50, 128, 255});
        Path file = write(grey, "png", "grey.png");
        assertArrayEquals(new int[] {8, 0}, pngDepthAndColourType(file));
        assertGreyRow(Images.read(file), 0, 50, 128, 255);
    }

    @Test
    void sixteenBitGreyKeepsTheHighByte() throws IOException {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setPixels(0, 0, 3, 1, new int[] {0x1234, 0xFF00, 0x00FF});
        Path file = write(grey, "png", "grey16.png");
        assertArrayEquals(new int[] {16, 0}, pngDepthAndColourType(file));
        assertGreyRow(Images.read(file), 0x12, 0xFF, 0x00);
    }

    @Test
    void sixteenBitRgbKeepsTheHighBytes() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {16, 16, 16}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {0xABCD, 0x0102, 0xFFFF, 0x00FF, 0x8000, 0x7FFF});
        Path file = write(new BufferedImage(cm, raster, false, null), "png", "rgb16.png");
        assertArrayEquals(new int[] {16, 2}, pngDepthAndColourType(file));
        RgbImage image = Images.read(file);
        assertEquals(0xAB01FF, image.rgb(0, 0));
        assertEquals(0x00807F, image.rgb(1, 0));
    }

    @Test
    void alphaIsDroppedNotComposited() throws IOException {
        BufferedImage rgba = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        rgba.setRGB(0, 0, 0x00C86432);
        rgba.setRGB(1, 0, 0x80102030);
        Path file = write(rgba, "png", "rgba.png");
        assertArrayEquals(new int[] {8, 6}, pngDepthAndColourType(file));
        RgbImage image = Images.read(file);
        assertEquals(0xC86432, image.rgb(0, 0));
        assertEquals(0x102030, image.rgb(1, 0));
    }

    @Test
    void greyWithAlphaDropsTheAlpha() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY),
                true, false, Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
        raster.setPixels(0, 0, 2, 1, new int[] {77, 0, 200, 128});
        Path file = write(new BufferedImage(cm, raster, false, null), "png", "greyalpha.png");
        assertArrayEquals(new int[] {8, 4}, pngDepthAndColourType(file));
        assertGreyRow(Images.read(file), 77, 200);
    }

    @Test
    void paletteIsLookedUpIgnoringTransparency() throws IOException {
        byte[] r = {(byte) 250, 0, 12};
        byte[] g = {0, (byte) 240, 34};
        byte[] b = {5, 0, 56};
        byte[] a = {(byte) 255, 0, (byte) 255};
        IndexColorModel palette = new IndexColorModel(8, 3, r, g, b, a);
        BufferedImage indexed = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setPixels(0, 0, 3, 1, new int[] {2, 1, 0});
        Path file = write(indexed, "png", "palette.png");
        assertEquals(3, pngDepthAndColourType(file)[1]);
        RgbImage image = Images.read(file);
        assertEquals(0x0C2238, image.rgb(0, 0));
        assertEquals(0x00F000, image.rgb(1, 0));
        assertEquals(0xFA0005, image.rgb(2, 0));
    }

    @Test
    void oneBitImagesBecomeBlackAndWhite() throws IOException {
        BufferedImage binary = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY);
        binary.getRaster().setPixels(0, 0, 3, 1, new int[] {1, 0, 1});
        assertGreyRow(Images.read(write(binary, "png", "binary.png")), 255, 0, 255);
    }

    @Test
    void bmpAndGifRead() throws IOException {
        RgbImage image = RgbImage.of(2, 1, new byte[] {1, 2, 3, (byte) 200, (byte) 100, 50});
        assertEquals(image, Images.read(write(image.toBufferedImage(), "bmp", "image.bmp")));

        IndexColorModel palette = new IndexColorModel(2, 2, new byte[] {9, 90}, new byte[] {8, 80},
                new byte[] {7, 70});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setPixels(0, 0, 2, 1, new int[] {1, 0});
        RgbImage gif = Images.read(write(indexed, "gif", "image.gif"));
        assertEquals(0x5A5046, gif.rgb(0, 0));
        assertEquals(0x090807, gif.rgb(1, 0));
    }

    @Test
    void fiveAndSixBitSamplesWidenAsPillowDoes() throws IOException {
        BufferedImage rgb565 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_565_RGB);
        rgb565.getRaster().setPixels(0, 0, 2, 1, new int[] {31, 63, 31, 16, 32, 8});
        Path file = write(rgb565, "bmp", "rgb565.bmp");
        RgbImage image = Images.read(file);
        assertEquals(0xFFFFFF, image.rgb(0, 0));
        assertEquals((16 * 255 / 31) << 16 | (32 * 255 / 63) << 8 | 8 * 255 / 31, image.rgb(1, 0));
    }

    @Test
    void jpegDecodesWithinAGreyLevelOrTwoOfPillow() throws IOException {
        Path images = Path.of(System.getProperty("jsam.testdata"), "images");
        RgbImage jpeg = Images.read(images.resolve("dog.jpg"));
        RgbImage pillow = Images.read(images.resolve("dog.png"));
        assertEquals(800, jpeg.width());
        assertEquals(534, jpeg.height());
        byte[] a = jpeg.toHwcBytes();
        byte[] b = pillow.toHwcBytes();
        int differing = 0;
        int largest = 0;
        for (int i = 0; i < a.length; i++) {
            int d = Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
            differing += d > 0 ? 1 : 0;
            largest = Math.max(largest, d);
        }
        assertTrue(differing <= a.length / 100, differing + " of " + a.length + " bytes differ");
        assertTrue(largest <= 2, "largest difference " + largest);
    }

    @Test
    void writtenPngsReadBackUnchanged() throws IOException {
        byte[] hwc = new byte[5 * 3 * 3];
        for (int i = 0; i < hwc.length; i++) {
            hwc[i] = (byte) (i * 37);
        }
        RgbImage image = RgbImage.of(5, 3, hwc);
        Path rgb = dir.resolve("rgb.png");
        Images.writePng(image, rgb);
        assertArrayEquals(new int[] {8, 2}, pngDepthAndColourType(rgb));
        assertEquals(image, Images.read(rgb));

        Path mask = dir.resolve("mask.png");
        Images.writeGreyPng(new byte[] {0, (byte) 255, 0, 17, 99, (byte) 255}, 3, 2, mask);
        assertArrayEquals(new int[] {8, 0}, pngDepthAndColourType(mask));
        BufferedImage back = ImageIO.read(mask.toFile());
        assertArrayEquals(new int[] {0, 255, 0, 17, 99, 255}, back.getRaster().getPixels(0, 0, 3, 2, (int[]) null));
    }
}
