package dev.jsam.sam.modeling;

import dev.jsam.nn.LayerNorm;
import dev.jsam.nn.Linear;
import dev.jsam.nn.MLPBlock;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;

import java.util.ArrayList;
import java.util.List;

/**
 * The mask decoder's transformer (modeling/transformer.py): prompt tokens and image tokens
 * attend to each other in both directions (TwoWayAttentionBlock), then the tokens attend to the
 * image once more. Attention here is the reference's with an optional downsampled inner width.
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class TwoWayTransformer {
    /** nn.LayerNorm's default eps, used throughout the decoder. */
    static final float NORM_EPS = 1e-5f;

    private final TwoWayAttentionBlock[] layers;
    private final Attention finalAttnTokenToImage;
    private final LayerNorm normFinalAttn;

    public TwoWayTransformer(Weights w, int depth, int embeddingDim, int numHeads, int mlpDim, int downsampleRate) {
        this.layers = new TwoWayAttentionBlock[depth];
        for (int i = 0; i < depth; i++) {
            layers[i] = new TwoWayAttentionBlock(w.sub("layers").sub(i), embeddingDim, numHeads, mlpDim,
                    downsampleRate, i == 0);
        }
        this.finalAttnTokenToImage = new Attention(w.sub("final_attn_token_to_image"), embeddingDim, numHeads,
                downsampleRate);
        this.normFinalAttn = new LayerNorm(w.sub("norm_final_attn"), embeddingDim, NORM_EPS);
    }

    /** Processed tokens (B, N, C) and image tokens (B, HW, C). */
    public record Result(Tensor queries, Tensor keys) {
    }

    /**
     * The prompt-independent half of a run: image tokens and their positional encoding in
     * token-major order (B, HW, C), and what the first block computes from them alone, the
     * token-to-image keys and values and the image-to-token queries (B, HW, C / downsample),
     * with the grid size h x w.
     * A predictor keeps it per image, so that each prompt pays only for its own work.
     */
    public record ImageSide(Tensor keys, Tensor keyPe, Tensor tokenToImageK, Tensor tokenToImageV,
                            Tensor imageToTokenQ, int h, int w) {
        /** The same side for b prompts: a batch-1 side broadcast along dim 0, nothing copied. */
        public ImageSide expand(int b) {
            if (keys.dim(0) != 1) {
                throw new IllegalArgumentException("only a batch-1 image side expands, this one has batch " + keys.dim(0));
            }
            return new ImageSide(keys.expand(b, -1, -1), keyPe.expand(b, -1, -1), tokenToImageK.expand(b, -1, -1),
                    tokenToImageV.expand(b, -1, -1), imageToTokenQ.expand(b, -1, -1), h, w);
        }

        /** This side with its tensors handed to the garbage collector, out of any scope: for a side kept across calls. */
        public ImageSide detached() {
            for (Tensor t : new Tensor[] {keys, keyPe, tokenToImageK, tokenToImageV, imageToTokenQ}) {
                TensorScope.detach(t);
            }
            return this;
        }
    }

    /** imageEmbedding, imagePe (B, C, H, W) -> the image side of a run. */
    public ImageSide imageSide(Tensor imageEmbedding, Tensor imagePe) {
        Tensor keys = tokenMajor(imageEmbedding); // B x HW x C
        Tensor pe = tokenMajor(imagePe);          // B x HW x C
        Tensor k = keys.add(pe);
        TwoWayAttentionBlock first = layers[0];
        return new ImageSide(keys, pe, first.crossAttnTokenToImage.kProj.forward(k),
                first.crossAttnTokenToImage.vProj.forward(keys), first.crossAttnImageToToken.qProj.forward(k),
                imageEmbedding.dim(2), imageEmbedding.dim(3));
    }

    /** imageEmbedding, imagePe (B, C, H, W); pointEmbedding (B, N, C). */
    public Result forward(Tensor imageEmbedding, Tensor imagePe, Tensor pointEmbedding) {
        return forward(imageSide(imageEmbedding, imagePe), pointEmbedding);
    }

    /** The image side of a run and pointEmbedding (B, N, C). */
    public Result forward(ImageSide side, Tensor pointEmbedding) {
        Tensor pe = side.keyPe();
        Tensor queries = pointEmbedding;
        Tensor keys = side.keys();
        for (int i = 0; i < layers.length; i++) {
            try (TensorScope s = keys.backend().scope()) { // a layer's intermediates die with it, and so do its inputs after the first
                if (i > 0) {
                    s.take(queries);
                    s.take(keys);
                }
                Result r = layers[i].forward(queries, keys, pointEmbedding, pe, i == 0 ? side : null);
                queries = s.keep(r.queries());
                keys = s.keep(r.keys());
            }
        }
        Tensor q = queries.add(pointEmbedding);
        Tensor k = keys.add(pe);
        Tensor attnOut = finalAttnTokenToImage.forward(q, k, keys);
        queries = normFinalAttn.forward(queries.add(attnOut));
        return new Result(queries, keys);
    }

    /**
     * (B, C, H, W) -> (B, HW, C), copied once into token-major order so that every later add,
     * layer norm and projection reads unit-stride rows; an input broadcast over the batch (the
     * image embedding shared by a batch of prompts) is copied once and stays broadcast.
     */
    private static Tensor tokenMajor(Tensor x) {
        int b = x.dim(0);
        Tensor one = b > 1 && x.layout().stride(0) == 0 ? x.narrow(0, 0, 1) : x;
        Tensor t = one.flatten(2, 3).permute(0, 2, 1).contiguous();
        return one == x ? t : t.expand(b, -1, -1);
    }

    /** Self attention of tokens, cross attention tokens->image, MLP, cross attention image->tokens. */
    static final class TwoWayAttentionBlock {
        private final Attention selfAttn;
        private final LayerNorm norm1;
        final Attention crossAttnTokenToImage;
        private final LayerNorm norm2;
        private final MLPBlock mlp;
        private final LayerNorm norm3;
        private final LayerNorm norm4;
        final Attention crossAttnImageToToken;
        private final boolean skipFirstLayerPe;

        TwoWayAttentionBlock(Weights w, int dim, int heads, int mlpDim, int downsampleRate, boolean skipFirstLayerPe) {
            this.selfAttn = new Attention(w.sub("self_attn"), dim, heads, 1);
            this.norm1 = new LayerNorm(w.sub("norm1"), dim, NORM_EPS);
            this.crossAttnTokenToImage = new Attention(w.sub("cross_attn_token_to_image"), dim, heads, downsampleRate);
            this.norm2 = new LayerNorm(w.sub("norm2"), dim, NORM_EPS);
            this.mlp = new MLPBlock(w.sub("mlp"), dim, mlpDim, Activation.RELU);
            this.norm3 = new LayerNorm(w.sub("norm3"), dim, NORM_EPS);
            this.norm4 = new LayerNorm(w.sub("norm4"), dim, NORM_EPS);
            this.crossAttnImageToToken = new Attention(w.sub("cross_attn_image_to_token"), dim, heads, downsampleRate);
            this.skipFirstLayerPe = skipFirstLayerPe;
        }

        /** With the image side of the first block (side != null), its image-only projections are reused. */
        Result forward(Tensor queries, Tensor keys, Tensor queryPe, Tensor keyPe, ImageSide side) {
            if (skipFirstLayerPe) {
                queries = selfAttn.forward(queries, queries, queries);
            } else {
                Tensor q = queries.add(queryPe);
                queries = queries.add(selfAttn.forward(q, q, queries));
            }
            queries = norm1.forward(queries);

            Tensor q = queries.add(queryPe);
            Tensor k = side == null ? keys.add(keyPe) : null;
            Attention t2i = crossAttnTokenToImage;
            Tensor t2iK = side == null ? t2i.kProj.forward(k) : side.tokenToImageK();
            Tensor t2iV = side == null ? t2i.vProj.forward(keys) : side.tokenToImageV();
            queries = norm2.forward(queries.add(t2i.attend(t2i.qProj.forward(q), t2iK, t2iV)));

            queries = norm3.forward(queries.add(mlp.forward(queries)));

            q = queries.add(queryPe);
            // the image-side queries are still of keys + keyPe: keys have not changed since the token-to-image attention
            Attention i2t = crossAttnImageToToken;
            Tensor i2tQ = side == null ? i2t.qProj.forward(k) : side.imageToTokenQ();
            keys = norm4.forward(keys.add(i2t.attend(i2tQ, i2t.kProj.forward(q), i2t.vProj.forward(queries))));
            return new Result(queries, keys);
        }
    }

    /** Attention with q/k/v projections to embeddingDim / downsampleRate and an output projection. */
    static final class Attention {
        private final int numHeads;
        private final int internalDim;
        final Linear qProj;
        final Linear kProj;
        final Linear vProj;
        private final Linear outProj;

        Attention(Weights w, int embeddingDim, int numHeads, int downsampleRate) {
            this.numHeads = numHeads;
            this.internalDim = embeddingDim / downsampleRate;
            if (internalDim % numHeads != 0) {
                throw new IllegalArgumentException("num_heads " + numHeads + " must divide " + internalDim);
            }
            this.qProj = new Linear(w.sub("q_proj"), embeddingDim, internalDim, true);
            this.kProj = new Linear(w.sub("k_proj"), embeddingDim, internalDim, true);
            this.vProj = new Linear(w.sub("v_proj"), embeddingDim, internalDim, true);
            this.outProj = new Linear(w.sub("out_proj"), internalDim, embeddingDim, true);
        }

        /** (B, N, C) -> (B * heads, N, C / heads). */
        private Tensor separateHeads(Tensor x) {
            int b = x.dim(0), n = x.dim(1), c = x.dim(2);
            return x.reshape(b, n, numHeads, c / numHeads).permute(0, 2, 1, 3).reshape(b * numHeads, n, c / numHeads);
        }

        /** q (B, Nq, C), k and v (B, Nk, C) -> (B, Nq, C). */
        Tensor forward(Tensor q, Tensor k, Tensor v) {
            return attend(qProj.forward(q), kProj.forward(k), vProj.forward(v));
        }

        /** Projected qp (B, Nq, C'), kp and vp (B, Nk, C') -> attention over the heads, then out_proj: (B, Nq, C). */
        Tensor attend(Tensor qp, Tensor kp, Tensor vp) {
            int b = qp.dim(0), nq = qp.dim(1);
            int headDim = internalDim / numHeads;
            float scale = (float) (1.0 / Math.sqrt(headDim));
            Tensor out;
            if (b > 1 && kp.layout().stride(0) == 0 && vp.layout().stride(0) == 0) {
                // Every prompt attends to the same keys and values (the image tokens before the first
                // update): fold the prompts into the queries, one attention per head over B * Nq rows.
                Tensor qh = qp.reshape(b * nq, numHeads, headDim).permute(1, 0, 2);                 // heads x B*Nq x d
                Tensor kh = separateHeads(kp.narrow(0, 0, 1));                                       // heads x Nk x d
                Tensor vh = separateHeads(vp.narrow(0, 0, 1));
                out = qp.backend().attention(qh, kh, vh, scale, null, null)                           // heads x B*Nq x d
                        .permute(1, 0, 2).reshape(b, nq, internalDim);
            } else if (b > 1) {
                // Many prompts: one attention per head over the B prompts reads each head in place (a
                // column slice of the projections) instead of copying all into (B * heads, N, d).
                List<Tensor> heads = new ArrayList<>(numHeads);
                for (int h = 0; h < numHeads; h++) {
                    heads.add(qp.backend().attention(qp.narrow(2, h * headDim, headDim), kp.narrow(2, h * headDim, headDim),
                            vp.narrow(2, h * headDim, headDim), scale, null, null));                  // B x Nq x d
                }
                out = Tensor.concat(heads, 2);                                                           // B x Nq x C
            } else {
                Tensor o = qp.backend().attention(separateHeads(qp), separateHeads(kp), separateHeads(vp), scale, null, null);
                out = o.reshape(b, numHeads, nq, headDim).permute(0, 2, 1, 3).reshape(b, nq, internalDim);
            }
            return outProj.forward(out);
        }
    }
}
