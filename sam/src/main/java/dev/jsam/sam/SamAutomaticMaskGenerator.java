package dev.jsam.sam;

import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.AutomaticMaskGenerator;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.amg.SamCropPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;

import java.util.List;
import java.util.Map;

/**
 * Segment everything (automatic_mask_generator.py): prompts the model with a grid of points over
 * the image and its crops and keeps the good, distinct masks. Configure it with {@link #builder},
 * which covers every parameter of the reference's constructor; {@link #generate} returns
 * {@link MaskRecord}s, each mask held as a run-length encoding (memory stays bounded by the masks
 * kept, not the points tried), and {@link #annotations} turns them into the reference's list of
 * dicts. Interrupting the calling thread stops a generation before its next batch of points with
 * a {@link java.util.concurrent.CancellationException}, returning nothing (the interrupt status
 * stays set). The steps live in the amg package. Immutable and thread-safe: each generation runs
 * its own predictor, so one generator may serve several threads (the model's backend permitting).
 */
public final class SamAutomaticMaskGenerator {
    private final Sam model;
    private final AmgParams params;
    private final double[][] pointGrids;
    private final Annotations.OutputMode outputMode;
    private final AutomaticMaskGenerator generator;

    /** With the point grids {@code params.pointsPerSide()} gives. */
    public SamAutomaticMaskGenerator(Sam model, AmgParams params, Annotations.OutputMode outputMode) {
        this(model, params, null, outputMode);
    }

    /** With the reference's defaults and binary masks. */
    public SamAutomaticMaskGenerator(Sam model) {
        this(model, AmgParams.defaults(), Annotations.OutputMode.BINARY_MASK);
    }

    SamAutomaticMaskGenerator(Sam model, AmgParams params, double[][] pointGrids, Annotations.OutputMode outputMode) {
        this.model = model;
        this.params = params;
        this.pointGrids = pointGrids;
        this.outputMode = outputMode;
        this.generator = pointGrids == null ? new AutomaticMaskGenerator(params)
                : new AutomaticMaskGenerator(params, pointGrids);
    }

    /** A builder starting from the reference's defaults. */
    public static AmgBuilder builder(Sam model) {
        return new AmgBuilder(model);
    }

    /** The masks of the image, in the reference's order. */
    public List<MaskRecord> generate(RgbImage image) {
        return generate(image, (c, n, d, t) -> { });
    }

    /**
     * The masks of the image, reporting progress after every batch of points.
     *
     * @throws java.util.concurrent.CancellationException if the thread is interrupted meanwhile
     */
    public List<MaskRecord> generate(RgbImage image, AutomaticMaskGenerator.Progress progress) {
        SamCropPredictor crops = new SamCropPredictor(new SamPredictor(model), image);
        return generator.generate(image.height(), image.width(), crops, progress);
    }

    /**
     * The records as the reference's annotation dicts (segmentation in this generator's output
     * mode, area, bbox, predicted_iou, point_coords, stability_score, crop_box), for code written
     * against the reference's output. A binary-mask segmentation holds the whole image per mask.
     */
    public List<Map<String, Object>> annotations(List<MaskRecord> records) {
        return Annotations.of(records, outputMode);
    }

    public AmgParams params() {
        return params;
    }

    /** The explicit point grids, one per crop layer (copies), or null when they come from pointsPerSide. */
    public double[][] pointGrids() {
        if (pointGrids == null) {
            return null;
        }
        double[][] out = new double[pointGrids.length][];
        for (int i = 0; i < out.length; i++) {
            out[i] = pointGrids[i].clone();
        }
        return out;
    }

    public Annotations.OutputMode outputMode() {
        return outputMode;
    }
}
