package dev.jsam.sam.modeling;

import dev.jsam.nn.Weights;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;

import java.util.function.BiConsumer;

/**
 * MobileSAM's image encoder (mobile_sam/modeling/tiny_vit_sam.py TinyViT, PatchEmbed, ConvLayer,
 * MBConv, PatchMerging, BasicLayer): a convolutional patch embedding to a quarter of the input, a
 * stage of MBConv blocks, three stages of windowed-attention blocks joined by patch merging, and
 * SAM's 256-channel neck. Keys are the state_dict's; the classification head (norm_head, head) is
 * accepted unread, as the reference's forward never runs it. Thread-safe: forward only reads the
 * weights.
 */
public final class TinyViT implements ImageEncoder {
    private final TinyViTConfig cfg;
    private final Conv2dBN patchEmbed0;
    private final Conv2dBN patchEmbed2;
    private final MBConv[] convBlocks;
    private final TinyViTBlock[][] blocks;     // stages 1..3
    private final PatchMerging[] downsample;   // after stages 0..2
    private final Neck neck;

    public TinyViT(Weights w, TinyViTConfig cfg) {
        this.cfg = cfg;
        int[] dims = cfg.embedDims();
        int[] depths = cfg.depths();
        Weights seq = w.sub("patch_embed").sub("seq");
        this.patchEmbed0 = new Conv2dBN(seq.sub(0), cfg.inChans(), dims[0] / 2, 3, 2, 1, 1);
        this.patchEmbed2 = new Conv2dBN(seq.sub(2), dims[0] / 2, dims[0], 3, 2, 1, 1);
        Weights layers = w.sub("layers");
        this.convBlocks = new MBConv[depths[0]];
        for (int i = 0; i < depths[0]; i++) {
            convBlocks[i] = new MBConv(layers.sub(0).sub("blocks").sub(i), dims[0], cfg.mbconvExpandRatio());
        }
        this.blocks = new TinyViTBlock[4][];
        this.downsample = new PatchMerging[3];
        for (int s = 0; s < 4; s++) {
            Weights layer = layers.sub(s);
            if (s > 0) {
                blocks[s] = new TinyViTBlock[depths[s]];
                for (int i = 0; i < depths[s]; i++) {
                    blocks[s][i] = new TinyViTBlock(layer.sub("blocks").sub(i), dims[s], cfg.stageResolution(s),
                            cfg.numHeads()[s], cfg.windowSizes()[s], cfg.mlpRatio(), cfg.localConvSize());
                }
            }
            if (s < 3) {
                downsample[s] = new PatchMerging(layer.sub("downsample"), dims[s], dims[s + 1]);
            }
        }
        int last = dims[3];
        if (cfg.numClasses() > 0) {
            w.acceptUnread("norm_head.weight", last);
            w.acceptUnread("norm_head.bias", last);
            w.acceptUnread("head.weight", cfg.numClasses(), last);
            w.acceptUnread("head.bias", cfg.numClasses());
        }
        this.neck = new Neck(w.sub("neck"), last, cfg.outChans());
    }

    @Override
    public TinyViTConfig config() {
        return cfg;
    }

    /** "layers1": the output of the second stage (after its patch merging), HQ-SAM's vit_tiny feature. */
    @Override
    public String intermediateStage() {
        return "layers1";
    }

    @Override
    public int intermediateDim() {
        return cfg.embedDims()[2];
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * The same, handing trace ("patch_embed", (B, C0, H/4, W/4)) and ("layers{@literal <i>}", (B, g,
     * g, C)) after each stage, its patch merging included, channels last on the stage's own grid.
     */
    @Override
    public Tensor forward(Tensor x, BiConsumer<String, Tensor> trace) {
        x = patchEmbed2.forward(patchEmbed0.forward(x).gelu()); // B x C0 x H/4 x W/4
        emit(trace, "patch_embed", x);
        for (MBConv block : convBlocks) { // each block's intermediates, and its input unless traced, die with it
            x = TensorScope.layer(x, trace == null, block::forward);
        }
        x = downsample[0].forward(x); // B x L x C1
        emitTokens(trace, "layers0", x);
        for (int s = 1; s < 4; s++) {
            for (TinyViTBlock block : blocks[s]) {
                x = TensorScope.layer(x, trace == null, block::forward);
            }
            if (s < 3) {
                x = downsample[s].forward(x.transpose(1, 2).reshape(x.dim(0), x.dim(2), cfg.stageResolution(s),
                        cfg.stageResolution(s)));
            }
            emitTokens(trace, "layers" + s, x);
        }
        int g = cfg.gridSize();
        Tensor y = x.transpose(1, 2).reshape(x.dim(0), x.dim(2), g, g); // B x C3 x g x g
        return neck.forward(y);
    }

    private static void emit(BiConsumer<String, Tensor> trace, String name, Tensor x) {
        if (trace != null) {
            trace.accept(name, x);
        }
    }

    /** Tokens (B, L, C) as the square grid (B, g, g, C) they come from. */
    private static void emitTokens(BiConsumer<String, Tensor> trace, String name, Tensor x) {
        if (trace != null) {
            int g = (int) Math.round(Math.sqrt(x.dim(1)));
            trace.accept(name, x.reshape(x.dim(0), g, g, x.dim(2)));
        }
    }

    /** Inverted residual: 1x1 expand, 3x3 depthwise, 1x1 project, each with batch norm, GELUs, a residual. */
    static final class MBConv {
        private final Conv2dBN conv1;
        private final Conv2dBN conv2;
        private final Conv2dBN conv3;

        MBConv(Weights w, int chans, int expandRatio) {
            int hidden = chans * expandRatio;
            this.conv1 = new Conv2dBN(w.sub("conv1"), chans, hidden, 1, 1, 0, 1);
            this.conv2 = new Conv2dBN(w.sub("conv2"), hidden, hidden, 3, 1, 1, hidden);
            this.conv3 = new Conv2dBN(w.sub("conv3"), hidden, chans, 1, 1, 0, 1);
        }

        /** (B, C, H, W) -> (B, C, H, W). */
        Tensor forward(Tensor x) {
            Tensor y = conv2.forward(conv1.forward(x).gelu()).gelu();
            return conv3.forward(y).add(x).gelu();
        }
    }

    /** 1x1 to the next width, 3x3 depthwise with the merging stride, 1x1; then to tokens. */
    static final class PatchMerging {
        private final Conv2dBN conv1;
        private final Conv2dBN conv2;
        private final Conv2dBN conv3;

        PatchMerging(Weights w, int dim, int outDim) {
            this.conv1 = new Conv2dBN(w.sub("conv1"), dim, outDim, 1, 1, 0, 1);
            this.conv2 = new Conv2dBN(w.sub("conv2"), outDim, outDim, 3, TinyViTConfig.mergingStride(outDim), 1, outDim);
            this.conv3 = new Conv2dBN(w.sub("conv3"), outDim, outDim, 1, 1, 0, 1);
        }

        /** (B, C, H, W) -> (B, H' * W', C'). */
        Tensor forward(Tensor x) {
            Tensor y = conv3.forward(conv2.forward(conv1.forward(x).gelu()).gelu()); // B x C' x H' x W'
            return y.reshape(y.dim(0), y.dim(1), y.dim(2) * y.dim(3)).transpose(1, 2);
        }
    }
}
