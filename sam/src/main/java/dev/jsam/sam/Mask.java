package dev.jsam.sam;

import dev.jsam.sam.amg.BinaryMask;
import dev.jsam.sam.amg.Boxes;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One mask of a {@link Masks} result, at the original image's size: its pixels, the model's
 * predicted IoU as its score, area, bounding box, and the low-res logits that produced it (give
 * them to {@link Prompt#withMaskInput} with more points to refine it). Immutable: the accessors
 * return copies. Thread-safe.
 */
public final class Mask {
    private final BinaryMask pixels;
    private final float score;
    private final int area;
    private final int[] box;
    private final float[] lowResLogits;

    Mask(BinaryMask pixels, float score, float[] lowResLogits) {
        this.pixels = pixels;
        this.score = score;
        this.area = pixels.area();
        this.box = Boxes.maskToBox(pixels);
        this.lowResLogits = lowResLogits;
    }

    /** The model's prediction of this mask's IoU with the object meant (higher is better). */
    public float score() {
        return score;
    }

    /** Number of pixels in the mask. */
    public int area() {
        return area;
    }

    /** Bounding box x0, y0, x1, y1 of the mask's pixels, inclusive; 0, 0, 0, 0 for an empty mask (as the reference). */
    public int[] box() {
        return box.clone();
    }

    public int width() {
        return pixels.width();
    }

    public int height() {
        return pixels.height();
    }

    /** Whether pixel (x, y) is in the mask. */
    public boolean contains(int x, int y) {
        return pixels.get(y, x);
    }

    /** The pixels, row-major (a copy). */
    public BinaryMask binaryMask() {
        return new BinaryMask(pixels.height(), pixels.width(), pixels.data().clone());
    }

    /** The mask as an 8-bit grey image: 255 inside, 0 outside. */
    public BufferedImage toBufferedImage() {
        return pixels.toBufferedImage();
    }

    /** Writes the mask as an 8-bit grey PNG (255 inside, 0 outside). */
    public void writePng(Path file) throws IOException {
        pixels.writePng(file);
    }

    /** The low-res logits this mask was upsampled from, 256 x 256 row-major (a copy). */
    public float[] lowResLogits() {
        return lowResLogits.clone();
    }

    @Override
    public String toString() {
        return "Mask[score " + score + ", area " + area + ", box " + java.util.Arrays.toString(box) + "]";
    }
}
