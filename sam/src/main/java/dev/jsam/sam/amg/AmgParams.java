package dev.jsam.sam.amg;

/**
 * The knobs of automatic mask generation, with the reference's defaults (tuned there for ViT-H):
 * the same names and meanings as {@code SamAutomaticMaskGenerator}'s constructor, plus the model's
 * {@code mask_threshold} (0.0 in SAM). Explicit point grids go beside it, to {@link AutomaticMaskGenerator}.
 * Immutable, thread-safe.
 */
public record AmgParams(
        int pointsPerSide,
        int pointsPerBatch,
        double predIouThresh,
        double stabilityScoreThresh,
        double stabilityScoreOffset,
        double boxNmsThresh,
        int cropNLayers,
        double cropNmsThresh,
        double cropOverlapRatio,
        int cropNPointsDownscaleFactor,
        int minMaskRegionArea,
        double maskThreshold) {

    public AmgParams {
        if (pointsPerSide < 1 || pointsPerBatch < 1 || cropNLayers < 0 || cropNPointsDownscaleFactor < 1) {
            throw new IllegalArgumentException("bad AMG parameters: " + this);
        }
    }

    /** The reference's defaults: 32 per side, batches of 64, 0.88 / 0.95 / 1.0, NMS 0.7, no crops. */
    public static AmgParams defaults() {
        return new AmgParams(32, 64, 0.88, 0.95, 1.0, 0.7, 0, 0.7, 512.0 / 1500, 1, 0, 0.0);
    }

    public AmgParams withPointsPerSide(int v) {
        return new AmgParams(v, pointsPerBatch, predIouThresh, stabilityScoreThresh, stabilityScoreOffset,
                boxNmsThresh, cropNLayers, cropNmsThresh, cropOverlapRatio, cropNPointsDownscaleFactor,
                minMaskRegionArea, maskThreshold);
    }

    public AmgParams withPointsPerBatch(int v) {
        return new AmgParams(pointsPerSide, v, predIouThresh, stabilityScoreThresh, stabilityScoreOffset,
                boxNmsThresh, cropNLayers, cropNmsThresh, cropOverlapRatio, cropNPointsDownscaleFactor,
                minMaskRegionArea, maskThreshold);
    }

    public AmgParams withThresholds(double predIou, double stabilityScore) {
        return new AmgParams(pointsPerSide, pointsPerBatch, predIou, stabilityScore, stabilityScoreOffset,
                boxNmsThresh, cropNLayers, cropNmsThresh, cropOverlapRatio, cropNPointsDownscaleFactor,
                minMaskRegionArea, maskThreshold);
    }

    public AmgParams withCrops(int nLayers, int pointsDownscaleFactor) {
        return new AmgParams(pointsPerSide, pointsPerBatch, predIouThresh, stabilityScoreThresh,
                stabilityScoreOffset, boxNmsThresh, nLayers, cropNmsThresh, cropOverlapRatio, pointsDownscaleFactor,
                minMaskRegionArea, maskThreshold);
    }

    public AmgParams withMinMaskRegionArea(int v) {
        return new AmgParams(pointsPerSide, pointsPerBatch, predIouThresh, stabilityScoreThresh,
                stabilityScoreOffset, boxNmsThresh, cropNLayers, cropNmsThresh, cropOverlapRatio,
                cropNPointsDownscaleFactor, v, maskThreshold);
    }
}
