package dev.jsam.sam.modeling;

/**
 * Hyper-parameters of MaskDecoder and its TwoWayTransformer (modeling/mask_decoder.py,
 * modeling/transformer.py). The attention downsample rate of the cross attentions is 2, as in
 * build_sam.py. Immutable, thread-safe.
 */
public record MaskDecoderConfig(
        int transformerDim,
        int depth,
        int numHeads,
        int mlpDim,
        int numMultimaskOutputs,
        int iouHeadDepth,
        int iouHeadHiddenDim) {

    public static final int ATTENTION_DOWNSAMPLE_RATE = 2;
}
