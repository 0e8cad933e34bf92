package dev.jsam.sam;

import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.modeling.Sam;

import java.util.Objects;

/**
 * Configures a {@link SamAutomaticMaskGenerator}: every parameter of the reference's constructor,
 * with its defaults (tuned there for ViT-H) and its meaning; names are the reference's in camel
 * case. Each value is checked when set, and combinations when built, with a one-line
 * IllegalArgumentException naming the parameter. As in the reference, the points come from
 * exactly one of {@link #pointsPerSide} (32 when neither is given) and {@link #pointGrids}. Not
 * thread-safe; the generator it builds is.
 */
public final class AmgBuilder {
    /** The largest points per side accepted: a million points per crop layer. */
    public static final int MAX_POINTS_PER_SIDE = 1024;
    /** The largest batch accepted: a batch holds 3 x 256 x 256 floats (768 KiB) of logits per point. */
    public static final int MAX_POINTS_PER_BATCH = 1024;
    /** The most crop layers accepted: layer i has 4^i crops, each its own encoder run. */
    public static final int MAX_CROP_LAYERS = 6;

    private final Sam model;
    private Integer pointsPerSide;
    private double[][] pointGrids;
    private int pointsPerBatch;
    private double predIouThresh;
    private double stabilityScoreThresh;
    private double stabilityScoreOffset;
    private double boxNmsThresh;
    private int cropNLayers;
    private double cropNmsThresh;
    private double cropOverlapRatio;
    private int cropNPointsDownscaleFactor;
    private int minMaskRegionArea;
    private Annotations.OutputMode outputMode = Annotations.OutputMode.BINARY_MASK;

    AmgBuilder(Sam model) {
        this.model = Objects.requireNonNull(model, "model");
        AmgParams d = AmgParams.defaults();
        pointsPerBatch = d.pointsPerBatch();
        predIouThresh = d.predIouThresh();
        stabilityScoreThresh = d.stabilityScoreThresh();
        stabilityScoreOffset = d.stabilityScoreOffset();
        boxNmsThresh = d.boxNmsThresh();
        cropNLayers = d.cropNLayers();
        cropNmsThresh = d.cropNmsThresh();
        cropOverlapRatio = d.cropOverlapRatio();
        cropNPointsDownscaleFactor = d.cropNPointsDownscaleFactor();
        minMaskRegionArea = d.minMaskRegionArea();
    }

    /** Points along each side of the grid, 1..1024 (default 32): n x n point prompts per crop layer 0. */
    public AmgBuilder pointsPerSide(int n) {
        pointsPerSide = check("pointsPerSide", n, 1, MAX_POINTS_PER_SIDE);
        return this;
    }

    /**
     * Explicit point grids instead of pointsPerSide: one per crop layer 0..cropNLayers, each flat
     * x, y pairs, fractions of the crop's width and height in [0, 1] (copied; checked when built).
     */
    public AmgBuilder pointGrids(double[]... grids) {
        double[][] copy = new double[grids.length][];
        for (int i = 0; i < grids.length; i++) {
            copy[i] = grids[i].clone();
        }
        pointGrids = copy;
        return this;
    }

    /** Points run through the decoder at once, 1..1024 (default 64): more is faster and needs more memory. */
    public AmgBuilder pointsPerBatch(int n) {
        pointsPerBatch = check("pointsPerBatch", n, 1, MAX_POINTS_PER_BATCH);
        return this;
    }

    /** Keeps masks whose predicted IoU exceeds this, in [0, 1] (default 0.88; 0 keeps all). */
    public AmgBuilder predIouThresh(double t) {
        predIouThresh = check("predIouThresh", t, 0, 1);
        return this;
    }

    /** Keeps masks whose stability score reaches this, in [0, 1] (default 0.95; 0 keeps all). */
    public AmgBuilder stabilityScoreThresh(double t) {
        stabilityScoreThresh = check("stabilityScoreThresh", t, 0, 1);
        return this;
    }

    /** How far the cutoff moves (in logits) when measuring stability, >= 0 (default 1.0). */
    public AmgBuilder stabilityScoreOffset(double offset) {
        stabilityScoreOffset = check("stabilityScoreOffset", offset, 0, Double.MAX_VALUE);
        return this;
    }

    /** Box IoU above which non-maximum suppression drops the weaker of two masks in a crop, in [0, 1] (default 0.7). */
    public AmgBuilder boxNmsThresh(double t) {
        boxNmsThresh = check("boxNmsThresh", t, 0, 1);
        return this;
    }

    /** Crop layers beyond the whole image, 0..6 (default 0): layer i runs the model on 2^i x 2^i crops. */
    public AmgBuilder cropNLayers(int n) {
        cropNLayers = check("cropNLayers", n, 0, MAX_CROP_LAYERS);
        return this;
    }

    /** Box IoU above which masks from different crops are duplicates, in [0, 1] (default 0.7). */
    public AmgBuilder cropNmsThresh(double t) {
        cropNmsThresh = check("cropNmsThresh", t, 0, 1);
        return this;
    }

    /** How much the crops of layer 1 overlap, as a fraction of the image's short side, in [0, 1) (default 512/1500). */
    public AmgBuilder cropOverlapRatio(double r) {
        if (!(r >= 0 && r < 1)) {
            throw new IllegalArgumentException("cropOverlapRatio must be in [0, 1), got " + r);
        }
        cropOverlapRatio = r;
        return this;
    }

    /** Layer i's points per side are pointsPerSide / factor^i, factor >= 1 (default 1). */
    public AmgBuilder cropNPointsDownscaleFactor(int factor) {
        cropNPointsDownscaleFactor = check("cropNPointsDownscaleFactor", factor, 1, Integer.MAX_VALUE);
        return this;
    }

    /** Removes islands and holes smaller than this many pixels, then repeats NMS, >= 0 (default 0: off). */
    public AmgBuilder minMaskRegionArea(int pixels) {
        minMaskRegionArea = check("minMaskRegionArea", pixels, 0, Integer.MAX_VALUE);
        return this;
    }

    /** The segmentation form of {@link SamAutomaticMaskGenerator#annotations} (default binary masks). */
    public AmgBuilder outputMode(Annotations.OutputMode mode) {
        outputMode = Objects.requireNonNull(mode, "outputMode");
        return this;
    }

    /**
     * The generator.
     *
     * @throws IllegalArgumentException if both pointsPerSide and pointGrids were given, the grids do
     *                                  not fit the crop layers, or a crop layer would get no points
     */
    public SamAutomaticMaskGenerator build() {
        if (pointsPerSide != null && pointGrids != null) {
            throw new IllegalArgumentException("give pointsPerSide or pointGrids, not both (as the reference requires)");
        }
        int side = pointsPerSide == null ? AmgParams.defaults().pointsPerSide() : pointsPerSide;
        if (pointGrids == null) {
            int last = (int) (side / Math.pow(cropNPointsDownscaleFactor, cropNLayers));
            if (last < 1) {
                throw new IllegalArgumentException("crop layer " + cropNLayers + " would get no points: pointsPerSide "
                        + side + " / cropNPointsDownscaleFactor " + cropNPointsDownscaleFactor + "^" + cropNLayers
                        + " < 1");
            }
        }
        AmgParams params = new AmgParams(side, pointsPerBatch, predIouThresh, stabilityScoreThresh,
                stabilityScoreOffset, boxNmsThresh, cropNLayers, cropNmsThresh, cropOverlapRatio,
                cropNPointsDownscaleFactor, minMaskRegionArea, Sam.MASK_THRESHOLD);
        return new SamAutomaticMaskGenerator(model, params, pointGrids, outputMode);
    }

    private static int check(String name, int v, int min, int max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be " + range(min, max) + ", got " + v);
        }
        return v;
    }

    private static double check(String name, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(name + " must be "
                    + (max == Double.MAX_VALUE ? ">= " + min + " and finite" : "in [" + min + ", " + max + "]")
                    + ", got " + v);
        }
        return v;
    }

    private static String range(int min, int max) {
        return max == Integer.MAX_VALUE ? ">= " + min : "in " + min + ".." + max;
    }
}
