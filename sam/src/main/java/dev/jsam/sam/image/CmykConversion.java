package dev.jsam.sam.image;

import java.awt.image.Raster;

/**
 * RGB from the four components of a CMYK or YCCK JPEG, as OpenCV's imread computes them. libjpeg
 * hands OpenCV CMYK samples (turning YCCK into CMYK itself); OpenCV takes every four-component
 * JPEG to hold Adobe's inverted CMYK (255 means no ink, as Photoshop writes it) and computes each
 * of R, G, B as {@code k - ((255 - c) * k >> 8)} from its ink sample c and the black sample k,
 * without dividing by 255. The JDK's raster read returns the components undecoded, so YCCK is
 * turned into CMYK here with libjpeg's own fixed-point YCbCr tables (jdcolor.c: 16 fraction bits,
 * rounded), giving libjpeg's samples exactly.
 */
final class CmykConversion {
    private static final int SCALE_BITS = 16;
    private static final int HALF = 1 << (SCALE_BITS - 1);
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (fix(1.40200) * x + HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + HALF;
        }
    }

    private CmykConversion() {
    }

    private static int fix(double v) {
        return (int) (v * (1L << SCALE_BITS) + 0.5);
    }

    /** Interleaved RGB bytes of a four-band raster holding CMYK, or YCCK when {@code ycck}. */
    static byte[] toRgbBytes(Raster raster, boolean ycck) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w * 4];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            int o = y * w * 3;
            for (int x = 0; x < w; x++, o += 3) {
                int p = 4 * x;
                int cyan = row[p];
                int magenta = row[p + 1];
                int yellow = row[p + 2];
                int k = row[p + 3];
                if (ycck) {
                    int luma = row[p];
                    int cb = row[p + 1];
                    int cr = row[p + 2];
                    cyan = 255 - clamp(luma + CR_R[cr]);
                    magenta = 255 - clamp(luma + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
                    yellow = 255 - clamp(luma + CB_B[cb]);
                }
                out[o] = (byte) ink(cyan, k);
                out[o + 1] = (byte) ink(magenta, k);
                out[o + 2] = (byte) ink(yellow, k);
            }
        }
        return out;
    }

    /** OpenCV's channel value from an inverted ink sample and the inverted black sample. */
    private static int ink(int sample, int k) {
        return k - ((255 - sample) * k >> 8);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
