package dev.jsam.sam.amg;

import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.Tensor;

/**
 * The model half of {@link SamCropPredictor}: the image encoder on a crop, then the prompt encoder and
 * mask decoder for one foreground point per prompt, multimask, without any upsampling. Everything after
 * it (coordinate transform, {@code postprocess_masks}, thresholds, stability) stays in SamCropPredictor
 * and {@link BatchProcessor}, so a stand-in model (the golden tests' synthetic one) exercises that code.
 */
interface LowResModel {
    /** Embeds {@code crop}, already cut out of the image; prompts that follow refer to it. */
    void setImage(RgbImage crop);

    /** Low-res logits (B, C, 256, 256) and IoU predictions (B x C, row-major) of B points in the input frame. */
    LowRes predict(double[] inputPointsXY);

    /** What the decoder returns for a batch of points. */
    record LowRes(Tensor logits, float[] iou) {
    }
}
