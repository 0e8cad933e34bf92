package dev.jsam.sam.modeling;

/**
 * The hyper-parameters of an image encoder: SAM's ViT ({@link ImageEncoderConfig}) or MobileSAM's
 * TinyViT ({@link TinyViTConfig}). What the rest of the model needs of either: the input side, and
 * the (outChans, grid, grid) embedding it produces.
 */
public sealed interface EncoderConfig permits ImageEncoderConfig, TinyViTConfig {
    /** Side of the square input (1024 for the released models). */
    int imgSize();

    /** Channels of the image embedding (256). */
    int outChans();

    /** Side of the embedding's grid (64). */
    int gridSize();
}
