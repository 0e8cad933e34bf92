package dev.jsam.sam.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;

/**
 * An immutable 8-bit RGB image stored as height x width x 3 interleaved bytes, row-major: the
 * layout of the reference's numpy HWC uint8 arrays. It holds no alpha and no colour profile; the
 * bytes are the samples as decoded. Files are read and written by {@link Images}.
 * Thread-safe, being immutable.
 */
public final class RgbImage {

    /** Largest pixel count whose H x W x 3 bytes fit one Java array. */
    public static final long MAX_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    private final int width;
    private final int height;
    private final byte[] hwc;

    private RgbImage(int width, int height, byte[] hwc) {
        this.width = width;
        this.height = height;
        this.hwc = hwc;
    }

    /** An image holding a copy of {@code hwc}, which must have exactly height * width * 3 bytes. */
    public static RgbImage of(int width, int height, byte[] hwc) {
        checkSize(width, height);
        if (hwc.length != width * height * 3) {
            throw new IllegalArgumentException("an RGB image of " + width + " x " + height
                    + " needs " + width * height * 3 + " bytes, got " + hwc.length);
        }
        return new RgbImage(width, height, hwc.clone());
    }

    /** Takes ownership of {@code hwc} without copying; for this package's producers only. */
    static RgbImage wrap(int width, int height, byte[] hwc) {
        checkSize(width, height);
        if (hwc.length != width * height * 3) {
            throw new IllegalStateException("buffer of " + hwc.length + " bytes for " + width + " x " + height);
        }
        return new RgbImage(width, height, hwc);
    }

    static void checkSize(int width, int height) {
        if (width < 1 || height < 1 || (long) width * height > MAX_PIXELS) {
            throw new IllegalArgumentException("unsupported image size " + width + " x " + height
                    + " (each side must be at least 1 and the image at most " + MAX_PIXELS + " pixels)");
        }
    }

    /**
     * The pixels of {@code image} as Pillow's {@code convert("RGB")} would give them: alpha
     * dropped, grey replicated, palettes looked up, samples wider than 8 bits cut to their high
     * byte. See {@link RasterConversion} for the exact rules.
     */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        checkSize(image.getWidth(), image.getHeight());
        return new RgbImage(image.getWidth(), image.getHeight(), RasterConversion.toRgbBytes(image));
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Sample {@code channel} (0 red, 1 green, 2 blue) of pixel (x, y), in 0..255. */
    public int sample(int x, int y, int channel) {
        checkPixel(x, y);
        if (channel < 0 || channel > 2) {
            throw new IndexOutOfBoundsException("channel " + channel + " is not 0, 1 or 2");
        }
        return hwc[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** Pixel (x, y) packed as 0xRRGGBB. */
    public int rgb(int x, int y) {
        checkPixel(x, y);
        int i = (y * width + x) * 3;
        return (hwc[i] & 0xFF) << 16 | (hwc[i + 1] & 0xFF) << 8 | (hwc[i + 2] & 0xFF);
    }

    private void checkPixel(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + " x " + height);
        }
    }

    /** A copy of the H x W x 3 interleaved bytes. */
    public byte[] toHwcBytes() {
        return hwc.clone();
    }

    /** Copies rows [y0, y1) (interleaved RGB, row-major) into dst from dstOffset: a strip without the whole copy. */
    public void copyRows(int y0, int y1, byte[] dst, int dstOffset) {
        if (y0 < 0 || y1 > height || y0 > y1) {
            throw new IndexOutOfBoundsException("rows " + y0 + ".." + y1 + " of " + height);
        }
        System.arraycopy(hwc, y0 * width * 3, dst, dstOffset, (y1 - y0) * width * 3);
    }

    /** This package's read-only access to the bytes, without a copy. */
    byte[] bytes() {
        return hwc;
    }

    /**
     * The image with its channel order reversed: RGB becomes BGR (and BGR becomes RGB), as the
     * reference's {@code image[..., ::-1]} does when the input format differs from the model's.
     */
    public RgbImage reverseChannels() {
        byte[] out = new byte[hwc.length];
        for (int i = 0; i < hwc.length; i += 3) {
            out[i] = hwc[i + 2];
            out[i + 1] = hwc[i + 1];
            out[i + 2] = hwc[i];
        }
        return new RgbImage(width, height, out);
    }

    /** A new {@code TYPE_3BYTE_BGR} image with these pixels. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < hwc.length; i += 3) {
            bgr[i] = hwc[i + 2];
            bgr[i + 1] = hwc[i + 1];
            bgr[i + 2] = hwc[i];
        }
        return image;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height
                && Arrays.equals(hwc, other.hwc);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(hwc);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + " x " + height + "]";
    }
}
