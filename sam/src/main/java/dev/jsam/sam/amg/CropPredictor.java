package dev.jsam.sam.amg;

/**
 * The model side of automatic mask generation, as {@link AutomaticMaskGenerator} drives it: the
 * reference's {@code SamPredictor.set_image} on a crop, then {@code predict_torch} with one positive
 * point per prompt, {@code multimask_output=True, return_logits=True}. Implementations own the image.
 * Implementations hold the current crop and need not be thread-safe: the generator drives one from
 * one thread.
 */
public interface CropPredictor {
    /**
     * Makes {@code cropBox} (XYXY in the original image; the whole image for crop layer 0) the image
     * that following {@link #predict} calls see: crop it, resize it and compute its embedding.
     */
    void setCrop(int[] cropBox);

    /**
     * Predicts masks for point prompts given in crop pixel coordinates, flat (x, y) pairs, each
     * point its own prompt labelled foreground. The implementation applies the coordinate transform
     * to the model's input frame itself. Masks come back at the crop's resolution.
     */
    MaskPredictions predict(double[] pointsXY);
}
