package dev.jsam.sam.amg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference's {@code _process_batch} after the model call: for each candidate mask, the IoU
 * filter, stability score and its filter, thresholding, box, crop-edge filter and RLE of the mask
 * padded to the image. Works on one mask at a time (one float and one boolean crop-sized buffer),
 * so a batch's masks are never all held as floats. Output order is the reference's: point-major.
 * Stateless static methods: thread-safe.
 */
public final class BatchProcessor {
    private BatchProcessor() {
    }

    /**
     * Filters and encodes one batch.
     *
     * @param predictions the predictor's output for the batch, masks at the crop's resolution
     * @param pointsXY    the batch's points, flat (x, y), in crop pixel coordinates
     * @param cropBox     the crop, XYXY in the original image
     * @param origH       original image height
     * @param origW       original image width
     * @return the surviving masks, in the image frame (box, point and RLE uncropped)
     */
    public static List<MaskRecord> process(MaskPredictions predictions, double[] pointsXY, int[] cropBox,
                                           int origH, int origW, AmgParams params) {
        int h = predictions.height();
        int w = predictions.width();
        if (pointsXY.length != 2 * predictions.points() || cropBox[2] - cropBox[0] != w || cropBox[3] - cropBox[1] != h) {
            throw new IllegalArgumentException("predictions for " + predictions.points() + " points of " + h + "x" + w
                    + " do not match " + pointsXY.length / 2 + " points and crop " + Arrays.toString(cropBox));
        }
        float iouThresh = (float) params.predIouThresh();
        float stabilityThresh = (float) params.stabilityScoreThresh();
        float maskThreshold = (float) params.maskThreshold();
        int[] origBox = {0, 0, origW, origH};
        float[] logits = new float[h * w];
        boolean[] mask = new boolean[h * w];
        List<MaskRecord> out = new ArrayList<>();
        for (int p = 0; p < predictions.points(); p++) {
            for (int k = 0; k < predictions.masksPerPoint(); k++) {
                float iou = predictions.iou(p, k);
                if (params.predIouThresh() > 0.0 && !(iou > iouThresh)) {
                    continue;
                }
                predictions.copyLogits(p, k, logits);
                float stability = StabilityScore.compute(logits, 0, h, w, params.maskThreshold(),
                        params.stabilityScoreOffset());
                if (params.stabilityScoreThresh() > 0.0 && !(stability >= stabilityThresh)) {
                    continue;
                }
                for (int i = 0; i < logits.length; i++) {
                    mask[i] = logits[i] > maskThreshold;
                }
                int[] box = Boxes.maskToBox(mask, h, w);
                if (Boxes.isNearCropEdge(box, cropBox, origBox)) {
                    continue;
                }
                Rle rle = Rle.fromCrop(mask, h, w, cropBox[0], cropBox[1], origH, origW);
                double[] point = {pointsXY[2 * p] + cropBox[0], pointsXY[2 * p + 1] + cropBox[1]};
                out.add(new MaskRecord(rle, Boxes.uncrop(box, cropBox), iou, stability, point, cropBox));
            }
        }
        return out;
    }
}
