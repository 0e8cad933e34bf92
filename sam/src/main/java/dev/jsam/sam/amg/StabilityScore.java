package dev.jsam.sam.amg;

/**
 * The reference's {@code calculate_stability_score} for one mask of logits: the IoU of the masks
 * thresholded at threshold + offset and threshold - offset, i.e. count(logit > hi) / count(logit > lo).
 * Counts are summed per row into a 16-bit integer (wrapping as torch's int16 sum does for rows wider
 * than 32767) and then into 32 bits; the quotient is taken in float32, so 0 / 0 gives NaN.
 * Stateless static methods: thread-safe.
 */
public final class StabilityScore {
    private StabilityScore() {
    }

    /**
     * Stability of the mask whose logits are {@code logits[offset .. offset + height*width)}, row-major.
     * The thresholds are computed in double, as Python does, then compared in float32, as torch does.
     */
    public static float compute(float[] logits, int offset, int height, int width,
                                double maskThreshold, double thresholdOffset) {
        float hi = (float) (maskThreshold + thresholdOffset);
        float lo = (float) (maskThreshold - thresholdOffset);
        int intersections = 0;
        int unions = 0;
        for (int y = 0; y < height; y++) {
            short rowHi = 0;
            short rowLo = 0;
            int base = offset + y * width;
            for (int x = 0; x < width; x++) {
                float v = logits[base + x];
                if (v > hi) {
                    rowHi++;
                }
                if (v > lo) {
                    rowLo++;
                }
            }
            intersections += rowHi;
            unions += rowLo;
        }
        return (float) intersections / (float) unions;
    }
}
