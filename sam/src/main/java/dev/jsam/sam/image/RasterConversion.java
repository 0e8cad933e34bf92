package dev.jsam.sam.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded BufferedImage into RGB bytes the way Pillow's {@code convert("RGB")} treats the
 * file's samples: it reads the raster, never {@code getRGB} (which would colour-manage grey
 * images), drops alpha without compositing, replicates grey, looks palettes up, widens samples of
 * fewer than 8 bits by {@code v * 255 / max} (Pillow's 1/2/4-bit and 5/6-bit expansions) and cuts
 * samples wider than 8 bits to their high byte (Pillow does so for 16-bit colour PNGs; for 16-bit
 * grey PNGs Pillow's mode "I" would instead saturate every value above 255, which makes nearly all
 * such images white, so here grey is cut to its high byte as well, as OpenCV's imread, which the
 * reference's scripts use, does). Colour spaces other than RGB and grey, premultiplied alpha and
 * floating-point samples fall back to Java's own conversion through {@code getRGB}.
 */
final class RasterConversion {

    private RasterConversion() {
    }

    static byte[] toRgbBytes(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int type = raster.getDataBuffer().getDataType();
        boolean integerSamples = type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT
                || type == DataBuffer.TYPE_INT;
        if (cm instanceof IndexColorModel palette) {
            return fromPalette(raster, palette);
        }
        int space = cm.getColorSpace().getType();
        if (integerSamples && !cm.isAlphaPremultiplied()
                && (space == ColorSpace.TYPE_RGB || space == ColorSpace.TYPE_GRAY)) {
            return fromSamples(raster, space == ColorSpace.TYPE_GRAY);
        }
        return fromJavaRgb(image);
    }

    private static byte[] fromPalette(Raster raster, IndexColorModel palette) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] index = new int[w];
        int size = palette.getMapSize();
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, index);
            int o = y * w * 3;
            for (int x = 0; x < w; x++, o += 3) {
                int rgb = index[x] < size ? palette.getRGB(index[x]) : 0;
                out[o] = (byte) (rgb >> 16);
                out[o + 1] = (byte) (rgb >> 8);
                out[o + 2] = (byte) rgb;
            }
        }
        return out;
    }

    private static byte[] fromSamples(Raster raster, boolean grey) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int[] bits = raster.getSampleModel().getSampleSize();
        int[] sourceBand = grey ? new int[] {0, 0, 0} : new int[] {0, 1, 2};
        if (raster.getSampleModel() instanceof ComponentSampleModel layout
                && raster.getDataBuffer() instanceof DataBufferByte data
                && bits[sourceBand[0]] == 8 && bits[sourceBand[1]] == 8 && bits[sourceBand[2]] == 8) {
            return fromByteComponents(raster, layout, data, sourceBand);
        }
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            int o = y * w * 3;
            for (int x = 0; x < w; x++, o += 3) {
                for (int c = 0; c < 3; c++) {
                    int band = sourceBand[c];
                    out[o + c] = (byte) to8Bits(row[x * bands + band], bits[band]);
                }
            }
        }
        return out;
    }

    /** The common case of 8-bit samples in byte arrays (e.g. TYPE_3BYTE_BGR), read without unpacking. */
    private static byte[] fromByteComponents(Raster raster, ComponentSampleModel layout, DataBufferByte data,
            int[] sourceBand) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int originX = raster.getMinX() - raster.getSampleModelTranslateX();
        int originY = raster.getMinY() - raster.getSampleModelTranslateY();
        int pixelStride = layout.getPixelStride();
        byte[][] bank = new byte[3][];
        int[] start = new int[3];
        for (int c = 0; c < 3; c++) {
            int b = sourceBand[c];
            int index = layout.getBankIndices()[b];
            bank[c] = data.getData(index);
            start[c] = data.getOffsets()[index] + layout.getOffset(originX, originY, b);
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int row = y * layout.getScanlineStride();
            int o = y * w * 3;
            for (int c = 0; c < 3; c++) {
                byte[] src = bank[c];
                for (int x = 0, p = start[c] + row; x < w; x++, p += pixelStride) {
                    out[o + x * 3 + c] = src[p];
                }
            }
        }
        return out;
    }

    /** A sample of {@code bits} bits as 0..255. */
    static int to8Bits(int value, int bits) {
        if (bits == 8) {
            return value;
        }
        if (bits > 8) {
            return value >>> (bits - 8) & 0xFF;
        }
        return value * 255 / ((1 << bits) - 1);
    }

    private static byte[] fromJavaRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            int o = y * w * 3;
            for (int x = 0; x < w; x++, o += 3) {
                out[o] = (byte) (row[x] >> 16);
                out[o + 1] = (byte) (row[x] >> 8);
                out[o + 2] = (byte) row[x];
            }
        }
        return out;
    }
}
