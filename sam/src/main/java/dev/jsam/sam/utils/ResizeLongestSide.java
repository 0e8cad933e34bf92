package dev.jsam.sam.utils;

import dev.jsam.sam.image.BilinearResize;
import dev.jsam.sam.image.RgbImage;

/**
 * The reference's ResizeLongestSide (segment_anything/utils/transforms.py): scales an image so its
 * longer side is {@link #targetLength()} (byte-identical to the reference's Pillow bilinear resize)
 * and maps point coordinates and boxes into the resized frame. Coordinates come in two precisions:
 * double as the numpy methods compute, float as the torch methods compute. No padding is done here.
 * Immutable, thread-safe.
 */
public final class ResizeLongestSide {

    private final int targetLength;

    public ResizeLongestSide(int targetLength) {
        if (targetLength < 1) {
            throw new IllegalArgumentException("target length must be positive, got " + targetLength);
        }
        this.targetLength = targetLength;
    }

    public int targetLength() {
        return targetLength;
    }

    /**
     * The {height, width} an image of {@code oldH} x {@code oldW} (height x width) gets when its
     * longer side is scaled to {@code longSideLength}, each side rounded half up.
     */
    public static int[] getPreprocessShape(int oldH, int oldW, int longSideLength) {
        if (oldH < 1 || oldW < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + oldH + " x " + oldW);
        }
        double scale = longSideLength * 1.0 / Math.max(oldH, oldW);
        double newH = oldH * scale;
        double newW = oldW * scale;
        return new int[] {(int) (newH + 0.5), (int) (newW + 0.5)};
    }

    /**
     * {@code image} resized so its longer side is the target length (the reference's apply_image).
     *
     * @throws IllegalArgumentException when the shorter side would round to 0 pixels (an aspect
     *                                  ratio beyond 2 x target length : 1), naming the size
     */
    public RgbImage applyImage(RgbImage image) {
        int[] hw = getPreprocessShape(image.height(), image.width(), targetLength);
        if (hw[0] == 0 || hw[1] == 0) {
            throw new IllegalArgumentException("image of " + image.width() + " x " + image.height()
                    + " pixels is too thin: its short side would be 0 pixels once the long side is scaled to "
                    + targetLength + " (the aspect ratio may be at most " + 2 * targetLength + ":1)");
        }
        return BilinearResize.resize(image, hw[1], hw[0]);
    }

    /**
     * Points (x0, y0, x1, y1, ...) in an {@code origH} x {@code origW} image mapped into the resized
     * frame, in double as the reference's numpy apply_coords. Returns a new array.
     */
    public double[] applyCoords(double[] xy, int origH, int origW) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("coordinates come in (x, y) pairs, got " + xy.length + " values");
        }
        int[] hw = getPreprocessShape(origH, origW, targetLength);
        double sx = (double) hw[1] / origW;
        double sy = (double) hw[0] / origH;
        double[] out = new double[xy.length];
        for (int i = 0; i < xy.length; i += 2) {
            out[i] = xy[i] * sx;
            out[i + 1] = xy[i + 1] * sy;
        }
        return out;
    }

    /** Boxes (x0, y0, x1, y1, ...) mapped as {@link #applyCoords}: the reference's apply_boxes. */
    public double[] applyBoxes(double[] boxes, int origH, int origW) {
        checkBoxes(boxes.length);
        return applyCoords(boxes, origH, origW);
    }

    /**
     * Points mapped in float as the reference's apply_coords_torch: the double ratio is rounded to
     * float and the product to float, as PyTorch multiplies a float32 tensor by a Python number.
     */
    public float[] applyCoordsTorch(float[] xy, int origH, int origW) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("coordinates come in (x, y) pairs, got " + xy.length + " values");
        }
        int[] hw = getPreprocessShape(origH, origW, targetLength);
        float sx = (float) ((double) hw[1] / origW);
        float sy = (float) ((double) hw[0] / origH);
        float[] out = new float[xy.length];
        for (int i = 0; i < xy.length; i += 2) {
            out[i] = xy[i] * sx;
            out[i + 1] = xy[i + 1] * sy;
        }
        return out;
    }

    /** Boxes mapped as {@link #applyCoordsTorch}: the reference's apply_boxes_torch. */
    public float[] applyBoxesTorch(float[] boxes, int origH, int origW) {
        checkBoxes(boxes.length);
        return applyCoordsTorch(boxes, origH, origW);
    }

    private static void checkBoxes(int length) {
        if (length % 4 != 0) {
            throw new IllegalArgumentException("boxes come as (x0, y0, x1, y1), got " + length + " values");
        }
    }
}
