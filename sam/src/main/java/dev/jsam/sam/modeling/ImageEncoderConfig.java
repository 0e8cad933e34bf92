package dev.jsam.sam.modeling;

import java.util.Arrays;

/**
 * Hyper-parameters of ImageEncoderViT (modeling/image_encoder.py), named as the reference's
 * constructor arguments. mlpDim is embed_dim * mlp_ratio; a block is global when its index is
 * in globalAttnIndexes, else it attends within windowSize x windowSize windows.
 * Immutable, thread-safe.
 */
public record ImageEncoderConfig(
        int imgSize,
        int patchSize,
        int inChans,
        int embedDim,
        int depth,
        int numHeads,
        int mlpDim,
        int outChans,
        boolean qkvBias,
        boolean useRelPos,
        int windowSize,
        int[] globalAttnIndexes) implements EncoderConfig {

    public ImageEncoderConfig {
        if (embedDim % numHeads != 0) {
            throw new IllegalArgumentException("embedDim " + embedDim + " is not divisible by numHeads " + numHeads);
        }
        if (imgSize % patchSize != 0) {
            throw new IllegalArgumentException("imgSize " + imgSize + " is not a multiple of patchSize " + patchSize);
        }
        globalAttnIndexes = globalAttnIndexes.clone();
    }

    /** Side of the token grid (64 for the released models). */
    @Override
    public int gridSize() {
        return imgSize / patchSize;
    }

    public int headDim() {
        return embedDim / numHeads;
    }

    public boolean isGlobal(int block) {
        return Arrays.stream(globalAttnIndexes).anyMatch(i -> i == block);
    }

    @Override
    public int[] globalAttnIndexes() {
        return globalAttnIndexes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageEncoderConfig c && c.imgSize == imgSize && c.patchSize == patchSize
                && c.inChans == inChans && c.embedDim == embedDim && c.depth == depth && c.numHeads == numHeads
                && c.mlpDim == mlpDim && c.outChans == outChans && c.qkvBias == qkvBias && c.useRelPos == useRelPos
                && c.windowSize == windowSize && Arrays.equals(c.globalAttnIndexes, globalAttnIndexes);
    }

    @Override
    public int hashCode() {
        return embedDim * 31 + depth * 7 + Arrays.hashCode(globalAttnIndexes);
    }

    @Override
    public String toString() {
        return "ImageEncoderConfig[embedDim=" + embedDim + ", depth=" + depth + ", numHeads=" + numHeads
                + ", mlpDim=" + mlpDim + ", outChans=" + outChans + ", windowSize=" + windowSize
                + ", globalAttnIndexes=" + Arrays.toString(globalAttnIndexes) + ", imgSize=" + imgSize
                + ", patchSize=" + patchSize + "]";
    }
}
