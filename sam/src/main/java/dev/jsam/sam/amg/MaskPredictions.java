package dev.jsam.sam.amg;

/**
 * What one predictor call returns for a batch of point prompts: for each point, a few candidate
 * masks (3 in multimask mode) as float logits at the crop's resolution, and the model's IoU
 * prediction for each. Logits are read one mask at a time, so an implementation may compute or
 * upsample them lazily instead of holding points x masks x H x W floats at once.
 * Read by one thread; implementations need not be thread-safe.
 */
public interface MaskPredictions {
    /** Number of point prompts in the batch. */
    int points();

    /** Candidate masks per point. */
    int masksPerPoint();

    /** Mask height: the crop's height in pixels. */
    int height();

    /** Mask width: the crop's width in pixels. */
    int width();

    /** The model's predicted IoU of mask {@code k} of point {@code point}. */
    float iou(int point, int k);

    /** Writes the height x width logits (row-major) of mask {@code k} of point {@code point} into {@code dst}. */
    void copyLogits(int point, int k, float[] dst);

    /** Predictions held in plain arrays: logits (points x masks x height x width) and iou (points x masks). */
    static MaskPredictions of(int points, int masksPerPoint, int height, int width, float[] logits, float[] iou) {
        long plane = (long) height * width;
        if (logits.length != points * masksPerPoint * plane || iou.length != points * masksPerPoint) {
            throw new IllegalArgumentException("expected " + points + " x " + masksPerPoint + " masks of "
                    + height + "x" + width + ", got " + logits.length + " logits and " + iou.length + " IoUs");
        }
        return new MaskPredictions() {
            @Override
            public int points() {
                return points;
            }

            @Override
            public int masksPerPoint() {
                return masksPerPoint;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public int width() {
                return width;
            }

            @Override
            public float iou(int point, int k) {
                return iou[point * masksPerPoint + k];
            }

            @Override
            public void copyLogits(int point, int k, float[] dst) {
                System.arraycopy(logits, (int) ((point * masksPerPoint + k) * plane), dst, 0, (int) plane);
            }
        };
    }
}
