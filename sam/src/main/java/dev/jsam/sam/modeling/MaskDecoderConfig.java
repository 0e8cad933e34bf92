package dev.jsam.sam.modeling;

/**
 * Hyper-parameters of MaskDecoder and its TwoWayTransformer (modeling/mask_decoder.py,
 * modeling/transformer.py), and of HQ-SAM's MaskDecoderHQ (mask_decoder_hq.py), which adds
 * vitDim: the channels of the encoder's intermediate embedding it fuses (0: SAM's decoder). The
 * attention downsample rate of the cross attentions is 2, as in build_sam.py. Immutable,
 * thread-safe.
 */
public record MaskDecoderConfig(
        int transformerDim,
        int depth,
        int numHeads,
        int mlpDim,
        int numMultimaskOutputs,
        int iouHeadDepth,
        int iouHeadHiddenDim,
        int vitDim) {

    public static final int ATTENTION_DOWNSAMPLE_RATE = 2;

    /** SAM's decoder (no HQ output token). */
    public MaskDecoderConfig(int transformerDim, int depth, int numHeads, int mlpDim, int numMultimaskOutputs,
                             int iouHeadDepth, int iouHeadHiddenDim) {
        this(transformerDim, depth, numHeads, mlpDim, numMultimaskOutputs, iouHeadDepth, iouHeadHiddenDim, 0);
    }

    public MaskDecoderConfig {
        if (vitDim < 0) {
            throw new IllegalArgumentException("vitDim must be 0 (SAM's decoder) or positive (HQ-SAM's), got " + vitDim);
        }
    }

    /** Whether this is HQ-SAM's decoder, with the HQ output token and the fused early features. */
    public boolean hq() {
        return vitDim > 0;
    }

    /** The same decoder made HQ-SAM's, fusing an intermediate embedding of vitDim channels. */
    public MaskDecoderConfig withHq(int vitDim) {
        return new MaskDecoderConfig(transformerDim, depth, numHeads, mlpDim, numMultimaskOutputs, iouHeadDepth,
                iouHeadHiddenDim, vitDim);
    }
}
