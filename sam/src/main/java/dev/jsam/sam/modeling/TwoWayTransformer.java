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
import java.util.function.UnaryOperator;

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
     * The prompt-independent half of a run: image tokens, their positional encoding and their sum
     * in token-major order (B, HW, C), and what the first block computes from them alone, the
     * token-to-image keys and values and the image-to-token queries (B, HW, C / downsample),
     * with the grid size h x w.
     * A predictor keeps it per image, so that each prompt pays only for its own work.
     */
    public record ImageSide(Tensor keys, Tensor keyPe, Tensor keysWithPe, Tensor tokenToImageK, Tensor tokenToImageV,
                            Tensor imageToTokenQ, int h, int w) {
        /** The same side for b prompts: a batch-1 side broadcast along dim 0, nothing copied. */
        public ImageSide expand(int b) {
            if (keys.dim(0) != 1) {
                throw new IllegalArgumentException("only a batch-1 image side expands, this one has batch " + keys.dim(0));
            }
            return map(t -> t.expand(b, -1, -1));
        }

        /** This side with its tensors handed to the garbage collector, out of any scope: for a side kept across calls. */
        public ImageSide detached() {
            return map(TensorScope::detach);
        }

        /** The side with f applied to each of its tensors: the one place that lists them. */
        private ImageSide map(UnaryOperator<Tensor> f) {
            return new ImageSide(f.apply(keys), f.apply(keyPe), f.apply(keysWithPe), f.apply(tokenToImageK),
                    f.apply(tokenToImageV), f.apply(imageToTokenQ), h, w);
        }
    }

    /** imageEmbedding, imagePe (B, C, H, W) -> the image side of a run. */
    public ImageSide imageSide(Tensor imageEmbedding, Tensor imagePe) {
        Tensor keys = tokenMajor(imageEmbedding); // B x HW x C
        Tensor pe = tokenMajor(imagePe);          // B x HW x C
        Tensor k = keys.add(pe);
        TwoWayAttentionBlock first = layers[0];
        return new ImageSide(keys, pe, k, first.crossAttnTokenToImage.kProj.forward(k),
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
        Attention last = finalAttnTokenToImage;
        Tensor attnOut = last.foldsKeys(q.dim(1)) ? last.fewQueries(q, k, keys) : last.forward(q, k, keys);
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
            Tensor k = side == null ? keys.add(keyPe) : side.keysWithPe();
            Attention t2i = crossAttnTokenToImage;
            Tensor t2iOut;
            if (side != null) {
                t2iOut = t2i.attend(t2i.qProj.forward(q), side.tokenToImageK(), side.tokenToImageV());
            } else if (t2i.foldsKeys(q.dim(1))) {
                t2iOut = t2i.fewQueries(q, k, keys);
            } else {
                t2iOut = t2i.attend(t2i.qProj.forward(q), t2i.kProj.forward(k), t2i.vProj.forward(keys));
            }
            queries = norm2.forward(queries.add(t2iOut));

            queries = norm3.forward(queries.add(mlp.forward(queries)));

            q = queries.add(queryPe);
            // the image-side queries are still of keys + keyPe: keys have not changed since the token-to-image attention
            Attention i2t = crossAttnImageToToken;
            Tensor i2tOut;
            if (i2t.foldsKeys(q.dim(1))) {
                i2tOut = i2t.fewKeys(k, q, queries);
            } else {
                Tensor i2tQ = side == null ? i2t.qProj.forward(k) : side.imageToTokenQ();
                i2tOut = i2t.attend(i2tQ, i2t.kProj.forward(q), i2t.vProj.forward(queries));
            }
            keys = norm4.forward(keys.add(i2tOut));
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

        /**
         * Whether attention between n tokens and the image is cheaper with the projections of the
         * image's side folded into the tokens' side ({@link #fewQueries}, {@link #fewKeys}): the image
         * tokens then meet heads x n vectors of width C instead of being projected to internalDim.
         */
        boolean foldsKeys(int n) {
            return numHeads * n < internalDim;
        }

        /**
         * The same as {@link #forward} for few queries q (B, Nq, C) over many keys k and values v
         * (B or 1, Nk, C), with the key and value projections moved onto the queries' side. Per head h
         * with q_h = (q Wq^T + bq)_h * scale: scores q_h (k Wk_h^T + bk_h)^T = (q_h Wk_h) k^T + a constant
         * per query row, which softmax ignores; output P_h (v Wv_h^T + bv_h) = (P_h v) Wv_h^T + bv_h,
         * as each row of P_h sums to 1. So the Nk x C image side is read by two products with
         * heads x Nq rows instead of being projected twice to internalDim.
         */
        Tensor fewQueries(Tensor q, Tensor k, Tensor v) {
            int b = q.dim(0), nq = q.dim(1), c = k.dim(2);
            int d = internalDim / numHeads;
            Tensor qh = qProj.forward(q).mul(scale()).reshape(b, nq, numHeads, d).permute(0, 2, 1, 3); // B x H x Nq x d
            Tensor a = qh.matmul(kProj.weight().reshape(1, numHeads, d, c)).reshape(b, numHeads * nq, c); // B x H*Nq x C
            Tensor p = a.matmul(k.transpose(1, 2)).softmax();                                           // B x H*Nq x Nk
            Tensor r = p.matmul(v).reshape(b, numHeads, nq, c);                                         // B x H x Nq x C
            Tensor o = r.matmul(vProj.weight().reshape(1, numHeads, d, c).transpose(2, 3))
                    .add(vProj.bias().reshape(1, numHeads, 1, d));                                      // B x H x Nq x d
            return outProj.forward(o.permute(0, 2, 1, 3).reshape(b, nq, internalDim));                // B x Nq x C
        }

        /**
         * The same as {@link #forward} for many queries q (B or 1, Nq, C) over few keys k and values v
         * (B, Nk, C), with the query and output projections moved onto the keys' side. Per head h with
         * k_h = (k Wk^T + bk)_h * scale: scores (q Wq_h^T + bq_h) k_h^T = q (Wq_h^T k_h^T) + bq_h k_h^T,
         * all heads in one product of q with a C x heads*Nk matrix; output sum_h P_h v_h Wo_h^T + bo =
         * P (v_h Wo_h^T + bo / heads, stacked over h), as each head's row of P sums to 1. So the Nq x C
         * image side meets heads x Nk columns instead of two projections through internalDim.
         */
        Tensor fewKeys(Tensor q, Tensor k, Tensor v) {
            int b = k.dim(0), nk = k.dim(1), nq = q.dim(1), c = q.dim(2);
            int d = internalDim / numHeads;
            Tensor kh = kProj.forward(k).mul(scale()).reshape(b, nk, numHeads, d).permute(0, 2, 3, 1); // B x H x d x Nk
            Tensor g = qProj.weight().reshape(1, numHeads, d, c).transpose(2, 3).matmul(kh)             // B x H x C x Nk
                    .permute(0, 2, 1, 3).reshape(b, c, numHeads * nk);                                  // B x C x H*Nk
            Tensor bias = qProj.bias().reshape(1, numHeads, 1, d).matmul(kh).reshape(b, 1, numHeads * nk);
            Tensor p = q.matmul(g).add(bias).reshape(b, nq, numHeads, nk).softmax()
                    .reshape(b, nq, numHeads * nk);                                                     // B x Nq x H*Nk
            Tensor vh = vProj.forward(v).reshape(b, nk, numHeads, d).permute(0, 2, 1, 3);              // B x H x Nk x d
            Tensor wo = outProj.weight().reshape(c, numHeads, d).permute(1, 2, 0).unsqueeze(0);        // 1 x H x d x C
            Tensor u = vh.matmul(wo).add(outProj.bias().mul(1f / numHeads)).reshape(b, numHeads * nk, c); // B x H*Nk x C
            return p.matmul(u);                                                                         // B x Nq x C
        }

        private float scale() {
            return (float) (1.0 / Math.sqrt(internalDim / numHeads));
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
