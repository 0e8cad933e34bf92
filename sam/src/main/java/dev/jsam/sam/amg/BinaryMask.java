package dev.jsam.sam.amg;

import dev.jsam.sam.image.Images;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A binary mask of height x width pixels, stored row-major as one boolean per pixel. It is the
 * short-lived working form (one mask at a time); masks kept for long are held as {@link Rle}.
 * Not thread-safe; the array is shared, not copied, so callers must not alias it carelessly.
 */
public final class BinaryMask {
    private final int height;
    private final int width;
    private final boolean[] data;

    /** Wraps {@code data} (row-major, length height * width) without copying. */
    public BinaryMask(int height, int width, boolean[] data) {
        if (height < 0 || width < 0 || data.length != height * width) {
            throw new IllegalArgumentException(
                    "mask of " + height + "x" + width + " needs " + height * width + " pixels, got " + data.length);
        }
        this.height = height;
        this.width = width;
        this.data = data;
    }

    /** An all-false mask. */
    public static BinaryMask empty(int height, int width) {
        return new BinaryMask(height, width, new boolean[height * width]);
    }

    /** Builds a mask from rows of '0'/'1' (or '.'/'#') characters; handy for small hand-made cases. */
    public static BinaryMask parse(String... rows) {
        int h = rows.length;
        int w = h == 0 ? 0 : rows[0].length();
        boolean[] d = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            if (rows[y].length() != w) {
                throw new IllegalArgumentException("row " + y + " has " + rows[y].length() + " columns, not " + w);
            }
            for (int x = 0; x < w; x++) {
                char c = rows[y].charAt(x);
                d[y * w + x] = c == '1' || c == '#';
            }
        }
        return new BinaryMask(h, w, d);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The row-major pixels themselves (not a copy). */
    public boolean[] data() {
        return data;
    }

    public boolean get(int y, int x) {
        return data[y * width + x];
    }

    /** Number of true pixels. */
    public int area() {
        int n = 0;
        for (boolean b : data) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /**
     * Pads this crop-sized mask with false pixels into an image of origH x origW, the crop's top-left
     * corner landing at (cropBox[0], cropBox[1]): the reference's {@code uncrop_masks}. Returns this
     * mask itself when the crop box is the whole image.
     */
    public BinaryMask uncrop(int[] cropBox, int origH, int origW) {
        int x0 = cropBox[0];
        int y0 = cropBox[1];
        if (x0 == 0 && y0 == 0 && cropBox[2] == origW && cropBox[3] == origH) {
            return this;
        }
        if (x0 + width > origW || y0 + height > origH) {
            throw new IllegalArgumentException("crop " + Arrays.toString(cropBox) + " of a " + height + "x" + width
                    + " mask does not fit in " + origH + "x" + origW);
        }
        boolean[] out = new boolean[origH * origW];
        for (int y = 0; y < height; y++) {
            System.arraycopy(data, y * width, out, (y + y0) * origW + x0, width);
        }
        return new BinaryMask(origH, origW, out);
    }

    /** The mask as an 8-bit grey image: 255 for true pixels, 0 for false. */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] grey = greyPixels();
        System.arraycopy(grey, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData(), 0, grey.length);
        return image;
    }

    /** Writes the mask as an 8-bit grey PNG: 255 for true pixels, 0 for false. */
    public void writePng(Path file) throws IOException {
        Images.writeGreyPng(greyPixels(), width, height, file);
    }

    private byte[] greyPixels() {
        byte[] grey = new byte[data.length];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = data[i] ? (byte) 255 : 0;
        }
        return grey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryMask m && m.height == height && m.width == width && Arrays.equals(m.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                sb.append(get(y, x) ? '1' : '0');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
