package dev.jsam.sam.amg;

/**
 * Box helpers of the reference's amg.py, on int[4] boxes: XYXY boxes around masks with inclusive
 * pixel coordinates ({@code batched_mask_to_box}, [0,0,0,0] for an empty mask), XYXY to XYWH
 * (width = x1 - x0, no +1), shifting crop-frame boxes to the image frame, and the crop-edge test.
 * Stateless static methods: thread-safe.
 */
public final class Boxes {
    /** The reference's tolerance, in pixels, for a box edge "near" a crop or image edge. */
    public static final double CROP_EDGE_ATOL = 20.0;

    private Boxes() {
    }

    /** XYXY box of the true pixels (x1, y1 the last true column and row), or [0,0,0,0] if none. */
    public static int[] maskToBox(BinaryMask mask) {
        return maskToBox(mask.data(), mask.height(), mask.width());
    }

    /** As {@link #maskToBox(BinaryMask)} on a row-major h x w array. */
    public static int[] maskToBox(boolean[] mask, int height, int width) {
        int left = width;
        int right = -1;
        int top = height;
        int bottom = -1;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            int first = -1;
            int last = -1;
            for (int x = 0; x < width; x++) {
                if (mask[row + x]) {
                    if (first < 0) {
                        first = x;
                    }
                    last = x;
                }
            }
            if (first >= 0) {
                top = Math.min(top, y);
                bottom = y;
                left = Math.min(left, first);
                right = Math.max(right, last);
            }
        }
        return bottom < 0 ? new int[4] : new int[] {left, top, right, bottom};
    }

    /** [x0, y0, x1, y1] to [x0, y0, x1 - x0, y1 - y0]. */
    public static int[] xyxyToXywh(int[] box) {
        return new int[] {box[0], box[1], box[2] - box[0], box[3] - box[1]};
    }

    /** Shifts a crop-frame XYXY box by the crop's top-left corner ({@code uncrop_boxes_xyxy}). */
    public static int[] uncrop(int[] box, int[] cropBox) {
        return new int[] {box[0] + cropBox[0], box[1] + cropBox[1], box[2] + cropBox[0], box[3] + cropBox[1]};
    }

    /**
     * Whether a crop-frame XYXY box touches an edge of its crop (within {@link #CROP_EDGE_ATOL}) that
     * is not also an edge of the original image box: the reference's {@code is_box_near_crop_edge}.
     */
    public static boolean isNearCropEdge(int[] box, int[] cropBox, int[] origBox) {
        int[] b = uncrop(box, cropBox);
        for (int k = 0; k < 4; k++) {
            boolean nearCrop = Math.abs((double) b[k] - cropBox[k]) <= CROP_EDGE_ATOL;
            boolean nearImage = Math.abs((double) b[k] - origBox[k]) <= CROP_EDGE_ATOL;
            if (nearCrop && !nearImage) {
                return true;
            }
        }
        return false;
    }

    /** (x1 - x0) * (y1 - y0) of an XYXY box, as torchvision's {@code box_area}. */
    public static long area(int[] box) {
        return (long) (box[2] - box[0]) * (box[3] - box[1]);
    }
}
