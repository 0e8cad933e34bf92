package dev.jsam.sam;

import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Several images with their prompts in one call: the reference's {@code Sam.forward(batched_input,
 * multimask_output)} (modeling/sam.py). Each {@link Input} holds one image already resized for the
 * model (the transform's {@code apply_image}) with its original size, and optional prompts already
 * in the model's input frame ({@code apply_coords}, {@code apply_boxes}); each {@link Output} holds
 * that image's binary masks at its original size, IoU predictions and low-res logits. Images are
 * encoded one at a time: on the CPU, encoding two at once took the same CPU time as one after the
 * other (bench/README.md, "Several images at once"), and so each result is bit-identical to a
 * {@link SamPredictor} given the same image and prompts. Thread-safe as the model is: a call keeps
 * its state in a predictor of its own.
 */
public final class SamBatch {
    private SamBatch() {
    }

    /**
     * One image and its prompts, as one dict of the reference's batched_input: image (1, 3, h, w) or
     * (3, h, w) with 0..255 values (U8 or F32) and the long side the model's input size; pointCoords (B, N, 2)
     * with pointLabels (B x N); boxes (B, 4); maskInputs (B, 1, 256, 256); each prompt kind optional
     * (null), with at least one given, B the same across those given.
     */
    public record Input(Tensor image, int originalH, int originalW, Tensor pointCoords, int[][] pointLabels,
                        Tensor boxes, Tensor maskInputs) {
        public Input {
            if (image == null) {
                throw new IllegalArgumentException("an input needs its image");
            }
            if ((pointCoords == null) != (pointLabels == null)) {
                throw new IllegalArgumentException("point_coords and point_labels come together");
            }
            if (pointCoords == null && boxes == null && maskInputs == null) {
                throw new IllegalArgumentException("an input needs a prompt: points, boxes or mask inputs");
            }
        }
    }

    /**
     * One image's results: masks (B, C, H, W) U8 0/1 at the original size, iouPredictions (B, C),
     * lowResLogits (B, C, 256, 256); C is 3 with multimask output, else 1.
     */
    public record Output(Tensor masks, Tensor iouPredictions, Tensor lowResLogits) {
    }

    /** The reference's Sam.forward: each image encoded, its prompts decoded, masks brought to its original size. */
    public static List<Output> forward(Sam model, List<Input> batchedInput, boolean multimaskOutput) {
        List<Output> outputs = new ArrayList<>(batchedInput.size());
        for (Input in : batchedInput) {
            SamPredictor predictor = new SamPredictor(model);
            Tensor image = in.image().rank() == 3 ? in.image().unsqueeze(0) : in.image(); // 1 x 3 x h x w
            if (image.dtype() != DType.F32) {
                image = image.to(DType.F32);
            }
            predictor.setTorchImage(image, in.originalH(), in.originalW());
            SamPredictor.BatchPrediction p = predictor.predictTorch(in.pointCoords(), in.pointLabels(), in.boxes(),
                    in.maskInputs(), multimaskOutput, false);
            outputs.add(new Output(p.masks(), p.iouPredictions(), p.lowResLogits()));
        }
        return outputs;
    }
}
