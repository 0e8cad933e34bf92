package dev.jsam.sam.modeling;

import dev.jsam.tensor.Tensor;

import java.util.function.BiConsumer;

/**
 * An image encoder: SAM's ViT ({@link ImageEncoderViT}) or MobileSAM's TinyViT ({@link TinyViT}),
 * from a preprocessed image (B, 3, imgSize, imgSize) to the embedding (B, 256, 64, 64). Each names
 * the stage whose output HQ-SAM's decoder fuses with the embedding. Thread-safe: forward only
 * reads the weights.
 */
public sealed interface ImageEncoder permits ImageEncoderViT, TinyViT {
    EncoderConfig config();

    /** (B, 3, imgSize, imgSize) -> (B, outChans, grid, grid). */
    Tensor forward(Tensor x);

    /** The same, handing each named intermediate activation to trace as it is computed. */
    Tensor forward(Tensor x, BiConsumer<String, Tensor> trace);

    /**
     * The trace stage whose output, channels last (B, grid, grid, C), is HQ-SAM's intermediate
     * embedding: the first global-attention block of the ViT, the second stage of TinyViT.
     */
    String intermediateStage();

    /** Channels of {@link #intermediateStage()}'s output: HQ-SAM's vit_dim. */
    int intermediateDim();
}
