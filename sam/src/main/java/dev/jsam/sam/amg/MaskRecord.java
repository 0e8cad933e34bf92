package dev.jsam.sam.amg;

/**
 * One generated mask with what the reference keeps beside it, all in the original image's frame:
 * its RLE (image size), XYXY box (inclusive pixel coordinates), predicted IoU, stability score, the
 * point prompt (x, y) that produced it and the XYXY crop box it came from. Immutable; the arrays
 * are not copied, so do not modify them. Thread-safe, being immutable.
 */
public record MaskRecord(Rle rle, int[] box, float predictedIou, float stabilityScore, double[] point, int[] cropBox) {

    /** The mask decoded to one boolean per pixel of the image ({@code rle_to_mask}); a new array each call. */
    public BinaryMask mask() {
        return rle.toMask();
    }

    /** Area in pixels ({@code area_from_rle}). */
    public int area() {
        return rle.area();
    }

    /** The box as [x, y, w, h], as the reference's annotation {@code bbox}. */
    public int[] bboxXywh() {
        return Boxes.xyxyToXywh(box);
    }

    /** The crop box as [x, y, w, h], as the reference's annotation {@code crop_box}. */
    public int[] cropBoxXywh() {
        return Boxes.xyxyToXywh(cropBox);
    }

    /** The same record with another mask and box (after small-region post-processing). */
    public MaskRecord withMask(Rle newRle, int[] newBox) {
        return new MaskRecord(newRle, newBox, predictedIou, stabilityScore, point, cropBox);
    }
}
