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
 * Segment everything (automatic_mask_generator.py): prompts the model with a grid of points
 * over the image and its crops and keeps the good, distinct masks. The steps live in the amg
 * package; this class ties them to a model, as the reference's class does.
 */
public final class SamAutomaticMaskGenerator {
    private final Sam model;
    private final AmgParams params;
    private final Annotations.OutputMode outputMode;

    public SamAutomaticMaskGenerator(Sam model, AmgParams params, Annotations.OutputMode outputMode) {
        this.model = model;
        this.params = params;
        this.outputMode = outputMode;
    }

    /** With the reference's defaults and binary masks. */
    public SamAutomaticMaskGenerator(Sam model) {
        this(model, AmgParams.defaults(), Annotations.OutputMode.BINARY_MASK);
    }

    /** The reference's list of annotation dicts (segmentation, area, bbox, predicted_iou, ...). */
    public List<Map<String, Object>> generate(RgbImage image) {
        return Annotations.of(generateRecords(image, (c, n, d, t) -> { }), outputMode);
    }

    /** The masks as records (RLE in the image frame), reporting progress after every batch. */
    public List<MaskRecord> generateRecords(RgbImage image, AutomaticMaskGenerator.Progress progress) {
        SamCropPredictor crops = new SamCropPredictor(new SamPredictor(model), image);
        return new AutomaticMaskGenerator(params).generate(image.height(), image.width(), crops, progress);
    }

    public AmgParams params() {
        return params;
    }

    public Annotations.OutputMode outputMode() {
        return outputMode;
    }
}
