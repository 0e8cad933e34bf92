package dev.jsam.sam.amg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * The reference's {@code SamAutomaticMaskGenerator.generate} orchestration over a {@link CropPredictor}:
 * crops, per-layer point grids, batches (filtered by {@link BatchProcessor}), NMS within each crop on
 * predicted IoU, NMS across crops preferring smaller crops, then optional small-region clean-up.
 * Returns records in the reference's output order; {@link Annotations} turns them into the
 * reference's annotation dicts. An interrupt of the calling thread stops it before the next crop
 * or batch. Model and image handling are out of scope. Immutable, so thread-safe; the predictor
 * it is given is not shared between calls by it.
 */
public final class AutomaticMaskGenerator {
    private final AmgParams params;
    private final double[][] pointGrids;

    /** With the point grids {@code params.pointsPerSide()} gives each crop layer. */
    public AutomaticMaskGenerator(AmgParams params) {
        this(params, PointGrids.buildAllLayerPointGrids(params.pointsPerSide(), params.cropNLayers(),
                params.cropNPointsDownscaleFactor()));
    }

    /**
     * With explicit point grids (the reference's {@code point_grids}), one per crop layer
     * 0..cropNLayers, each flat x, y pairs in [0, 1]; {@code params.pointsPerSide()} is not used.
     *
     * @throws IllegalArgumentException if there is not one non-empty grid of such points per layer
     */
    public AutomaticMaskGenerator(AmgParams params, double[][] pointGrids) {
        if (pointGrids.length != params.cropNLayers() + 1) {
            throw new IllegalArgumentException(pointGrids.length + " point grid(s) for " + (params.cropNLayers() + 1)
                    + " crop layer(s): give one grid per layer 0..cropNLayers");
        }
        for (int g = 0; g < pointGrids.length; g++) {
            double[] grid = pointGrids[g];
            if (grid.length == 0 || grid.length % 2 != 0) {
                throw new IllegalArgumentException("point grid " + g + " holds " + grid.length
                        + " numbers: it must be x, y pairs, at least one");
            }
            for (int i = 0; i < grid.length; i++) {
                if (!(grid[i] >= 0 && grid[i] <= 1)) {
                    throw new IllegalArgumentException("point grid " + g + ", point " + i / 2 + ": " + grid[i]
                            + " is outside [0, 1] (grid points are fractions of the crop's width and height)");
                }
            }
        }
        this.params = params;
        this.pointGrids = pointGrids.clone();
    }

    /** Told after each batch of points: crop c of crops, points done of total in that crop. */
    @FunctionalInterface
    public interface Progress {
        void update(int crop, int crops, int pointsDone, int pointsTotal);
    }

    /** Generates masks for an image of origH x origW that {@code predictor} holds. */
    public List<MaskRecord> generate(int origH, int origW, CropPredictor predictor) {
        return generate(origH, origW, predictor, (c, n, d, t) -> { });
    }

    /** The same, reporting progress after every batch. */
    public List<MaskRecord> generate(int origH, int origW, CropPredictor predictor, Progress progress) {
        CropBoxes crops = CropBoxes.generate(origH, origW, params.cropNLayers(), params.cropOverlapRatio());
        List<MaskRecord> all = new ArrayList<>();
        int n = crops.boxes().size();
        for (int c = 0; c < n; c++) {
            stopIfInterrupted("before crop " + (c + 1) + " of " + n);
            int crop = c;
            all.addAll(processCrop(crops.boxes().get(c), crops.layerIdxs().get(c), origH, origW, predictor,
                    (done, total) -> progress.update(crop, n, done, total)));
        }
        if (crops.boxes().size() > 1) {
            float[] scores = new float[all.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = 1f / (float) Boxes.area(all.get(i).cropBox());
            }
            all = select(all, Nms.batchedNms(boxes(all, false), scores, new int[all.size()], params.cropNmsThresh()));
        }
        if (params.minMaskRegionArea() > 0) {
            all = SmallRegionCleanup.apply(all, params.minMaskRegionArea(),
                    Math.max(params.boxNmsThresh(), params.cropNmsThresh()));
        }
        return all;
    }

    private List<MaskRecord> processCrop(int[] cropBox, int layer, int origH, int origW, CropPredictor predictor,
                                         java.util.function.BiConsumer<Integer, Integer> progress) {
        int cropW = cropBox[2] - cropBox[0];
        int cropH = cropBox[3] - cropBox[1];
        predictor.setCrop(cropBox);
        double[] points = PointGrids.scaleToCrop(pointGrids[layer], cropH, cropW);
        int batch = 2 * params.pointsPerBatch();
        List<MaskRecord> data = new ArrayList<>();
        for (int start = 0; start < points.length; start += batch) {
            stopIfInterrupted("after " + start / 2 + " of the " + points.length / 2 + " points of a crop");
            double[] chunk = Arrays.copyOfRange(points, start, Math.min(points.length, start + batch));
            data.addAll(BatchProcessor.process(predictor.predict(chunk), chunk, cropBox, origH, origW, params));
            progress.accept(Math.min(points.length, start + batch) / 2, points.length / 2);
        }
        float[] scores = new float[data.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = data.get(i).predictedIou();
        }
        return select(data, Nms.batchedNms(boxes(data, true), scores, new int[data.size()], params.boxNmsThresh()));
    }

    /** Throws when the calling thread was interrupted, leaving its interrupt status set. */
    private static void stopIfInterrupted(String where) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("segment-everything was interrupted " + where + "; no masks are returned");
        }
    }

    /** XYXY float boxes of the records, in the image frame or (inCropFrame) in each record's crop frame. */
    static float[] boxes(List<MaskRecord> records, boolean inCropFrame) {
        float[] out = new float[4 * records.size()];
        for (int i = 0; i < records.size(); i++) {
            int[] b = records.get(i).box();
            int[] c = records.get(i).cropBox();
            for (int k = 0; k < 4; k++) {
                out[4 * i + k] = inCropFrame ? b[k] - c[k & 1] : b[k];
            }
        }
        return out;
    }

    static List<MaskRecord> select(List<MaskRecord> records, int[] keep) {
        List<MaskRecord> out = new ArrayList<>(keep.length);
        for (int i : keep) {
            out.add(records.get(i));
        }
        return out;
    }
}
