package dev.jsam.sam.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** RgbImage: HWC layout, immutability, channel reversal and BufferedImage round trips. */
class RgbImageTest {

    /** 2 x 2: red, green / blue, (10, 20, 30). */
    private static final byte[] PIXELS = {
        (byte) 255, 0, 0, 0, (byte) 255, 0,
        0, 0, (byte) 255, 10, 20, 30,
    };

    @Test
    void samplesFollowTheHwcLayout() {
        RgbImage image = RgbImage.of(2, 2, PIXELS);
        assertEquals(2, image.width());
        assertEquals(2, image.height());
        assertEquals(0xFF0000, image.rgb(0, 0));
        assertEquals(0x00FF00, image.rgb(1, 0));
        assertEquals(0x0000FF, image.rgb(0, 1));
        assertEquals(0x0A141E, image.rgb(1, 1));
        assertEquals(20, image.sample(1, 1, 1));
        assertEquals(255, image.sample(0, 1, 2));
    }

    @Test
    void isImmutable() {
        byte[] source = PIXELS.clone();
        RgbImage image = RgbImage.of(2, 2, source);
        source[0] = 7;
        byte[] copy = image.toHwcBytes();
        copy[1] = 9;
        assertArrayEquals(PIXELS, image.toHwcBytes());
    }

    @Test
    void reverseChannelsSwapsRedAndBlue() {
        RgbImage bgr = RgbImage.of(2, 2, PIXELS).reverseChannels();
        assertEquals(0x0000FF, bgr.rgb(0, 0));
        assertEquals(0x00FF00, bgr.rgb(1, 0));
        assertEquals(0x1E140A, bgr.rgb(1, 1));
        assertEquals(RgbImage.of(2, 2, PIXELS), bgr.reverseChannels());
    }

    @Test
    void bufferedImageRoundTripKeepsEveryByte() {
        RgbImage image = RgbImage.of(2, 2, PIXELS);
        BufferedImage buffered = image.toBufferedImage();
        assertEquals(0x0A141E, buffered.getRGB(1, 1) & 0xFFFFFF);
        assertEquals(0x0000FF, buffered.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(image, RgbImage.fromBufferedImage(buffered));
    }

    @Test
    void fromBufferedImageReadsSubimagesAndPackedPixels() {
        BufferedImage bgr = new BufferedImage(4, 3, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage packed = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        BufferedImage grey = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                int rgb = (x * 60) << 16 | (y * 100) << 8 | (x + y * 4);
                bgr.setRGB(x, y, rgb);
                packed.setRGB(x, y, rgb);
                grey.getRaster().setSample(x, y, 0, x + y * 4);
            }
        }
        RgbImage sub = RgbImage.fromBufferedImage(bgr.getSubimage(1, 1, 2, 2));
        assertEquals(RgbImage.of(2, 2, new byte[] {
            60, 100, 5, 120, 100, 6,
            60, (byte) 200, 9, 120, (byte) 200, 10,
        }), sub);
        assertEquals(sub, RgbImage.fromBufferedImage(packed.getSubimage(1, 1, 2, 2)));
        RgbImage greySub = RgbImage.fromBufferedImage(grey.getSubimage(2, 1, 2, 2));
        assertEquals(0x060606, greySub.rgb(0, 0));
        assertEquals(0x0B0B0B, greySub.rgb(1, 1));
    }

    @Test
    void rejectsWrongSizesAndIndices() {
        assertThrows(IllegalArgumentException.class, () -> RgbImage.of(2, 3, PIXELS));
        assertThrows(IllegalArgumentException.class, () -> RgbImage.of(0, 1, new byte[0]));
        RgbImage image = RgbImage.of(2, 2, PIXELS);
        assertThrows(IndexOutOfBoundsException.class, () -> image.rgb(2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> image.sample(0, 0, 3));
    }
}
