package dev.jsam.sam.modeling;

import java.util.Arrays;

/**
 * Hyper-parameters of TinyViT (MobileSAM's modeling/tiny_vit_sam.py), named as the reference's
 * constructor arguments: four stages of embedDims channels, the first of MBConv blocks, the others
 * of windowed-attention blocks with numHeads heads in windowSizes windows. numClasses is the size of
 * the classification head the checkpoint carries and the image encoder never runs (0: none).
 * Stage 0 has no attention: its entries of numHeads and windowSizes are unused, and kept as 0 so
 * that a configuration read off a checkpoint's shapes equals the registry's. Immutable, thread-safe.
 */
public record TinyViTConfig(
        int imgSize,
        int inChans,
        int[] embedDims,
        int[] depths,
        int[] numHeads,
        int[] windowSizes,
        int mlpRatio,
        int mbconvExpandRatio,
        int localConvSize,
        int outChans,
        int numClasses) implements EncoderConfig {

    /** The patch embedding's two stride-2 convolutions: the first stage works at imgSize / 4. */
    static final int PATCH_EMBED_STRIDE = 4;

    public TinyViTConfig {
        int n = embedDims.length;
        if (n != 4 || depths.length != n || numHeads.length != n || windowSizes.length != n) {
            throw new IllegalArgumentException("TinyViT has four stages: embedDims " + Arrays.toString(embedDims)
                    + ", depths " + Arrays.toString(depths) + ", numHeads " + Arrays.toString(numHeads)
                    + ", windowSizes " + Arrays.toString(windowSizes));
        }
        for (int i = 1; i < n; i++) {
            if (embedDims[i] % numHeads[i] != 0) {
                throw new IllegalArgumentException("stage " + i + ": dim " + embedDims[i] + " is not divisible by "
                        + numHeads[i] + " heads");
            }
        }
        embedDims = embedDims.clone();
        depths = depths.clone();
        numHeads = numHeads.clone();
        windowSizes = windowSizes.clone();
        numHeads[0] = 0;
        windowSizes[0] = 0;
        int grid = gridSize(imgSize, embedDims);
        if (grid * 16 != imgSize) {
            throw new IllegalArgumentException("TinyViT's neck expects a " + imgSize / 16 + " grid, its stages give "
                    + grid + " (imgSize " + imgSize + ", embedDims " + Arrays.toString(embedDims) + ")");
        }
    }

    /** MobileSAM's TinyViT-5M (build_sam.py build_sam_vit_t). */
    public static TinyViTConfig mobileSam() {
        return new TinyViTConfig(1024, 3, new int[] {64, 128, 160, 320}, new int[] {2, 2, 6, 2}, new int[] {2, 4, 5, 10},
                new int[] {7, 7, 14, 7}, 4, 4, 3, 256, 1000);
    }

    /** The same encoder with a classification head of n classes (0: none); the image encoder never runs it. */
    public TinyViTConfig withNumClasses(int n) {
        return new TinyViTConfig(imgSize, inChans, embedDims, depths, numHeads, windowSizes, mlpRatio, mbconvExpandRatio,
                localConvSize, outChans, n);
    }

    /**
     * Side of stage i's token grid: the reference's input_resolution, patches / 2^i except that the
     * last stage keeps the third's (its patch merging does not downsample).
     */
    public int stageResolution(int stage) {
        int patches = imgSize / PATCH_EMBED_STRIDE;
        return patches >> (stage == 3 ? stage - 1 : stage);
    }

    /**
     * The stride of the patch merging from stage i to i + 1: 2, except 1 into the reference's
     * last-stage widths 320, 448 and 576 (tiny_vit_sam.py PatchMerging), which keeps the 64 x 64
     * grid the neck needs.
     */
    public static int mergingStride(int outDim) {
        return outDim == 320 || outDim == 448 || outDim == 576 ? 1 : 2;
    }

    /** Side of the final grid: the last stage's resolution after the merges' strides. */
    @Override
    public int gridSize() {
        return gridSize(imgSize, embedDims);
    }

    private static int gridSize(int imgSize, int[] embedDims) {
        int g = imgSize / PATCH_EMBED_STRIDE;
        for (int i = 0; i < 3; i++) {
            g = (g + mergingStride(embedDims[i + 1]) - 1) / mergingStride(embedDims[i + 1]);
        }
        return g;
    }

    @Override
    public int[] embedDims() {
        return embedDims.clone();
    }

    @Override
    public int[] depths() {
        return depths.clone();
    }

    @Override
    public int[] numHeads() {
        return numHeads.clone();
    }

    @Override
    public int[] windowSizes() {
        return windowSizes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TinyViTConfig c && c.imgSize == imgSize && c.inChans == inChans
                && Arrays.equals(c.embedDims, embedDims) && Arrays.equals(c.depths, depths)
                && Arrays.equals(c.numHeads, numHeads) && Arrays.equals(c.windowSizes, windowSizes)
                && c.mlpRatio == mlpRatio && c.mbconvExpandRatio == mbconvExpandRatio && c.localConvSize == localConvSize
                && c.outChans == outChans && c.numClasses == numClasses;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(embedDims) * 31 + Arrays.hashCode(depths);
    }

    @Override
    public String toString() {
        return "TinyViTConfig[embedDims=" + Arrays.toString(embedDims) + ", depths=" + Arrays.toString(depths)
                + ", numHeads=" + Arrays.toString(numHeads) + ", windowSizes=" + Arrays.toString(windowSizes)
                + ", mlpRatio=" + mlpRatio + ", mbconvExpandRatio=" + mbconvExpandRatio + ", localConvSize="
                + localConvSize + ", outChans=" + outChans + ", numClasses=" + numClasses + ", imgSize=" + imgSize + "]";
    }
}
