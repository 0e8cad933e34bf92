package dev.jsam.sam.modeling;

import dev.jsam.nn.Conv2d;
import dev.jsam.nn.LayerNorm;
import dev.jsam.nn.Linear;
import dev.jsam.nn.MLPBlock;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Activation;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;

import java.util.function.BiConsumer;

/**
 * SAM's image encoder (modeling/image_encoder.py): a ViT with windowed and global attention
 * blocks, decomposed relative positions and a convolutional neck. Mirrors the reference class
 * by class (ImageEncoderViT, Block, Attention, PatchEmbed); keys are the state_dict's.
 * Thread-safe: forward only reads the weights (the rel-pos tables it keeps per grid are immutable
 * and published safely); concurrent calls need a backend that allows them.
 */
public final class ImageEncoderViT implements ImageEncoder {
    /** LayerNorm eps of the encoder blocks (build_sam.py: partial(LayerNorm, eps=1e-6)). */
    static final float NORM_EPS = 1e-6f;

    private final ImageEncoderConfig cfg;
    private final PatchEmbed patchEmbed;
    private final Tensor posEmbed; // (1, grid, grid, C)
    private final Block[] blocks;
    private final Neck neck;

    public ImageEncoderViT(Weights w, ImageEncoderConfig cfg) {
        this.cfg = cfg;
        int g = cfg.gridSize();
        this.patchEmbed = new PatchEmbed(w.sub("patch_embed"), cfg.patchSize(), cfg.inChans(), cfg.embedDim());
        this.posEmbed = w.get("pos_embed", 1, g, g, cfg.embedDim());
        this.blocks = new Block[cfg.depth()];
        for (int i = 0; i < cfg.depth(); i++) {
            boolean global = cfg.isGlobal(i);
            blocks[i] = new Block(w.sub("blocks").sub(i), cfg, global ? 0 : cfg.windowSize(), global ? g : cfg.windowSize());
        }
        this.neck = new Neck(w.sub("neck"), cfg.embedDim(), cfg.outChans());
    }

    @Override
    public ImageEncoderConfig config() {
        return cfg;
    }

    /** ("block{@literal <i>}") of the first global-attention block (image_encoder.py in SysCV/sam-hq). */
    @Override
    public String intermediateStage() {
        return "block" + java.util.Arrays.stream(cfg.globalAttnIndexes()).min().orElseThrow(
                () -> new IllegalStateException("an encoder without global-attention blocks has no intermediate embedding"));
    }

    @Override
    public int intermediateDim() {
        return cfg.embedDim();
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * The same, handing each intermediate (B, grid, grid, C) activation to trace as
     * ("patch_embed", x) before the position embedding and ("block{@literal <i>}", x) after each block.
     */
    @Override
    public Tensor forward(Tensor x, BiConsumer<String, Tensor> trace) {
        x = patchEmbed.forward(x); // B x H x W x C
        if (trace != null) {
            trace.accept("patch_embed", x);
        }
        x = x.add(posEmbed);
        for (int i = 0; i < blocks.length; i++) {
            // each block's intermediates die with it; its input too, unless traced (the caller may hold it)
            x = TensorScope.layer(x, trace == null, blocks[i]::forward);
            if (trace != null) {
                trace.accept("block" + i, x);
            }
        }
        Tensor y = x.permute(0, 3, 1, 2); // B x C x H x W
        return neck.forward(y);
    }

    /** Image to patch embedding: a stride-16 16x16 conv, then channels last. */
    static final class PatchEmbed {
        private final Conv2d proj;

        PatchEmbed(Weights w, int patch, int inChans, int embedDim) {
            this.proj = new Conv2d(w.sub("proj"), inChans, embedDim, patch, patch, 0, true);
        }

        /** (B, 3, H, W) -> (B, H/16, W/16, C). */
        Tensor forward(Tensor x) {
            return proj.forward(x).permute(0, 2, 3, 1);
        }
    }

    /** A transformer block with window (windowSize > 0) or global attention and residuals. */
    static final class Block {
        private final LayerNorm norm1;
        private final Attention attn;
        private final LayerNorm norm2;
        private final MLPBlock mlp;
        private final int windowSize;

        Block(Weights w, ImageEncoderConfig cfg, int windowSize, int attnInputSize) {
            this.norm1 = new LayerNorm(w.sub("norm1"), cfg.embedDim(), NORM_EPS);
            this.attn = new Attention(w.sub("attn"), cfg, attnInputSize);
            this.norm2 = new LayerNorm(w.sub("norm2"), cfg.embedDim(), NORM_EPS);
            this.mlp = new MLPBlock(w.sub("mlp"), cfg.embedDim(), cfg.mlpDim(), Activation.GELU);
            this.windowSize = windowSize;
        }

        /** (B, H, W, C) -> (B, H, W, C). */
        Tensor forward(Tensor x) {
            // the attention half's intermediates die before the MLP half runs (each in its own scope)
            Tensor y = TensorScope.layer(x, false, this::attentionResidual);
            return TensorScope.layer(y, true, t -> t.add(TensorScope.layer(norm2.forward(t), true, mlp::forward)));
        }

        /**
         * x + attn(norm1(x)), in windows or global. Each step's input dies as soon as the next
         * step has run (its own scope, taking the input in), so at most two of the activations
         * live at once besides x.
         */
        private Tensor attentionResidual(Tensor x) {
            int h = x.dim(1), w = x.dim(2);
            Tensor t = norm1.forward(x);
            if (windowSize > 0) {
                t = TensorScope.layer(t, true, u -> windowPartition(u, windowSize)); // B*nW x ws x ws x C
                t = TensorScope.layer(t, true, attn::forward);
                t = TensorScope.layer(t, true, u -> windowUnpartition(u, windowSize, h, w)); // B x H x W x C
            } else {
                t = TensorScope.layer(t, true, attn::forward);
            }
            return x.add(t);
        }
    }

    /** Multi-head attention with decomposed relative position embeddings. */
    static final class Attention {
        private final int numHeads;
        private final float scale;
        private final Linear qkv;
        private final Linear proj;
        private final Tensor relPosH; // (2*S-1, headDim)
        private final Tensor relPosW; // (2*S-1, headDim)
        /** getRelPos of both tables for the last grid seen (a block always sees the same one: its window or the image). */
        private volatile RelPosTables tables;

        /** The per-(query, key) embeddings of an h x w grid: (h, h, headDim) and (w, w, headDim). */
        private record RelPosTables(int h, int w, Tensor rh, Tensor rw) {
        }

        Attention(Weights w, ImageEncoderConfig cfg, int inputSize) {
            int dim = cfg.embedDim();
            this.numHeads = cfg.numHeads();
            this.scale = (float) Math.pow(cfg.headDim(), -0.5);
            this.qkv = new Linear(w.sub("qkv"), dim, 3 * dim, cfg.qkvBias());
            this.proj = new Linear(w.sub("proj"), dim, dim, true);
            this.relPosH = cfg.useRelPos() ? w.get("rel_pos_h", 2 * inputSize - 1, cfg.headDim()) : null;
            this.relPosW = cfg.useRelPos() ? w.get("rel_pos_w", 2 * inputSize - 1, cfg.headDim()) : null;
        }

        /** (B, H, W, C) -> (B, H, W, C); qkv and the rel-pos terms die before the projection runs. */
        Tensor forward(Tensor x) {
            int b = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
            Tensor out = TensorScope.layer(x, false, this::heads); // B*nHead x HW x hd
            out = TensorScope.layer(out, true, o -> o.reshape(b, numHeads, h, w, c / numHeads).permute(0, 2, 3, 1, 4)
                    .reshape(b, h, w, c));
            return TensorScope.layer(out, true, proj::forward);
        }

        /** (B, H, W, C) -> attention of every head, (B * nHead, H * W, hd). */
        private Tensor heads(Tensor x) {
            int b = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
            int hd = c / numHeads;
            // qkv with shape (3, B, nHead, H * W, C)
            Tensor qkvOut = qkv.forward(x).reshape(b, h * w, 3, numHeads, hd).permute(2, 0, 3, 1, 4);
            Tensor q = qkvOut.select(0, 0).reshape(b * numHeads, h * w, hd); // B*nHead x HW x hd
            Tensor k = qkvOut.select(0, 1).reshape(b * numHeads, h * w, hd);
            Tensor v = qkvOut.select(0, 2).reshape(b * numHeads, h * w, hd);
            Tensor relH = null;
            Tensor relW = null;
            if (relPosH != null) {
                // ref: modeling/image_encoder.py add_decomposed_rel_pos @ dca509f (q unscaled)
                RelPosTables t = relPosTables(h, w);
                Tensor rh = t.rh(); // H x H x hd
                Tensor rw = t.rw(); // W x W x hd
                Tensor rq = q.reshape(b * numHeads, h, w, hd);
                // rel_h[b,y,x,k] = sum_c rq[b,y,x,c] * rh[y,k,c]
                relH = rq.matmul(rh.transpose(1, 2)).reshape(b * numHeads, h * w, h);
                // rel_w[b,y,x,k] = sum_c rq[b,y,x,c] * rw[x,k,c]
                relW = rq.permute(0, 2, 1, 3).matmul(rw.transpose(1, 2)) // B*nHead x W x H x W
                        .permute(0, 2, 1, 3).reshape(b * numHeads, h * w, w);
            }
            return x.backend().attention(q, k, v, scale, relH, relW);
        }

        /**
         * The rel-pos tables for an h x w grid, gathered once and kept: they depend only on the
         * weights and the grid, and gathering them per call cost an index upload, a cast and a
         * gather per table (on the GPU also a host synchronisation, to bounds-check the index).
         * Racing threads may both compute them; either result is the same.
         */
        private RelPosTables relPosTables(int h, int w) {
            RelPosTables t = tables;
            if (t == null || t.h() != h || t.w() != w) {
                t = new RelPosTables(h, w, TensorScope.detach(getRelPos(h, h, relPosH)),
                        TensorScope.detach(getRelPos(w, w, relPosW))); // kept across calls: no scope's
                tables = t;
            }
            return t;
        }
    }

    /**
     * Relative positional embeddings for every (query, key) pair: (qSize, kSize, C), resizing the
     * table by linear interpolation when its length is not 2 * max(qSize, kSize) - 1.
     */
    static Tensor getRelPos(int qSize, int kSize, Tensor relPos) {
        int maxRelDist = 2 * Math.max(qSize, kSize) - 1;
        Tensor resized = relPos;
        if (relPos.dim(0) != maxRelDist) {
            Tensor t = relPos.transpose(0, 1).unsqueeze(0); // 1 x C x L
            resized = relPos.backend().interpolateLinear(t, maxRelDist).squeeze(0).transpose(0, 1); // L' x C
        }
        double qScale = Math.max((double) kSize / qSize, 1.0);
        double kScale = Math.max((double) qSize / kSize, 1.0);
        float[] index = new float[qSize * kSize];
        for (int i = 0; i < qSize; i++) {
            for (int j = 0; j < kSize; j++) {
                index[i * kSize + j] = (long) (i * qScale - j * kScale + (kSize - 1) * kScale);
            }
        }
        Tensor idx = Tensor.of(relPos.backend(), index, index.length).to(DType.I64);
        return relPos.backend().indexSelect(resized, 0, idx).reshape(qSize, kSize, relPos.dim(1));
    }

    /** (B, H, W, C) -> (B * nWindows, ws, ws, C), zero-padding H and W up to multiples of ws. */
    static Tensor windowPartition(Tensor x, int ws) {
        int b = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
        int padH = (ws - h % ws) % ws;
        int padW = (ws - w % ws) % ws;
        if (padH > 0 || padW > 0) {
            x = x.pad(new int[] {0, 0, 0, padW, 0, padH}, 0f);
        }
        int hp = h + padH, wp = w + padW;
        return x.reshape(b, hp / ws, ws, wp / ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(-1, ws, ws, c);
    }

    /** (B * nWindows, ws, ws, C) -> (B, H, W, C), dropping the padding. */
    static Tensor windowUnpartition(Tensor windows, int ws, int h, int w) {
        int hp = (h + ws - 1) / ws * ws, wp = (w + ws - 1) / ws * ws;
        int c = windows.dim(3);
        int b = windows.dim(0) / (hp / ws * (wp / ws));
        Tensor x = windows.reshape(b, hp / ws, wp / ws, ws, ws, c).permute(0, 1, 3, 2, 4, 5).reshape(b, hp, wp, c);
        return x.narrow(1, 0, h).narrow(2, 0, w);
    }
}
