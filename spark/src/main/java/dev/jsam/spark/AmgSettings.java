package dev.jsam.spark;

import java.io.Serializable;

/**
 * The segment-everything parameters of a job, one per argument of the reference's
 * SamAutomaticMaskGenerator (explicit point grids aside), as plain values Spark can ship to the
 * executors. {@link SamOptions} reads and checks them; {@link SamLibrary} hands them to jsam.
 */
record AmgSettings(int pointsPerSide, int pointsPerBatch, double predIouThresh, double stabilityScoreThresh,
                   double stabilityScoreOffset, double boxNmsThresh, int cropNLayers, double cropNmsThresh,
                   double cropOverlapRatio, int cropNPointsDownscaleFactor, int minMaskRegionArea) implements Serializable {
}
