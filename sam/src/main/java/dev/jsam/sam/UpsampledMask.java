package dev.jsam.sam;

import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.PlaneResampler;

/**
 * One mask's low-res logits brought to the original image's size exactly as
 * {@link Sam#postprocessMasks} does it (bilinear up to the model's square input, the padding cropped
 * off, bilinear to the image) and thresholded at {@link Sam#MASK_THRESHOLD} as the predictor does,
 * but handed out a strip of rows or one column at a time, so a mask is never held whole as floats:
 * the bits and logits are bit-identical to the CPU backend's, and memory stays at the logits at
 * the model's input size (inputH x imgSize floats, 4 MB at most for a 1024 model) plus a few rows,
 * whatever the image's size. Not thread-safe (scratch rows): one per thread.
 */
public final class UpsampledMask {
    /** Floats of logits a strip should hold: 256 K floats (1 MB), a few rows of a large image. */
    private static final int STRIP_FLOATS = 1 << 18;

    private final PlaneResampler toImage;
    private float[] scratch;

    private UpsampledMask(PlaneResampler toImage) {
        this.toImage = toImage;
    }

    /**
     * The mask whose lowSize x lowSize logits start at {@code lowRes[offset]}, for an image resized
     * to inputH x inputW inside the model's imgSize square and originally height x width.
     */
    public static UpsampledMask of(float[] lowRes, int offset, int lowSize, int imgSize, int inputH, int inputW,
                                   int height, int width) {
        if (inputH < 1 || inputW < 1 || inputH > imgSize || inputW > imgSize) {
            throw new IllegalArgumentException("input " + inputH + " x " + inputW + " does not fit the model's "
                    + imgSize + " square");
        }
        PlaneResampler toInput = new PlaneResampler(lowRes, offset, lowSize, lowSize, lowSize, imgSize, imgSize);
        float[] input = new float[inputH * imgSize]; // the rows of the imgSize square the image covers
        toInput.rows(0, inputH, input, 0);
        return new UpsampledMask(new PlaneResampler(input, 0, imgSize, inputH, inputW, height, width));
    }

    public int height() {
        return toImage.outHeight();
    }

    public int width() {
        return toImage.outWidth();
    }

    /** Rows per strip that keep a strip's floats near 1 MB for this width (at least one). */
    public int stripRows() {
        return Math.max(1, Math.min(height(), STRIP_FLOATS / width()));
    }

    /** Logits of rows [y0, y1), row-major, into dst[0, (y1 - y0) * width). */
    public void logitRows(int y0, int y1, float[] dst) {
        toImage.rows(y0, y1, dst, 0);
    }

    /** The mask's rows [y0, y1) as 1 inside (logit above the threshold) and 0 outside, into dst. */
    public void maskRows(int y0, int y1, byte[] dst) {
        int n = (y1 - y0) * width();
        float[] logits = scratch(n);
        toImage.rows(y0, y1, logits, 0);
        threshold(logits, n, dst);
    }

    /** Column x of the mask, top to bottom, as 1 inside and 0 outside, into dst[0, height). */
    public void maskColumn(int x, byte[] dst) {
        float[] logits = scratch(height());
        toImage.column(x, logits);
        threshold(logits, height(), dst);
    }

    /** 1 where a logit is above the mask threshold, else 0: the predictor's {@code masks > 0}. */
    public static void threshold(float[] logits, int n, byte[] dst) {
        for (int i = 0; i < n; i++) {
            dst[i] = (byte) (logits[i] > Sam.MASK_THRESHOLD ? 1 : 0);
        }
    }

    private float[] scratch(int n) {
        if (scratch == null || scratch.length < n) {
            scratch = new float[n];
        }
        return scratch;
    }
}
