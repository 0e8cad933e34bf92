package dev.jsam.sam.modeling;

import dev.jsam.nn.LayerNorm;
import dev.jsam.nn.Linear;
import dev.jsam.nn.MLPBlock;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The mask decoder's transformer (modeling/transformer.py): prompt tokens and image tokens
 * attend to each other in both directions (TwoWayAttentionBlock), then the tokens attend to the
 * image once more. Attention here is the reference's with an optional downsampled inner width.
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

    /** imageEmbedding, imagePe (B, C, H, W); pointEmbedding (B, N, C). */
    public Result forward(Tensor imageEmbedding, Tensor imagePe, Tensor pointEmbedding) {
        Tensor image = tokenMajor(imageEmbedding); // B x HW x C
        Tensor pe = tokenMajor(imagePe);           // B x HW x C
        Tensor queries = pointEmbedding;
        Tensor keys = image;
        for (TwoWayAttentionBlock layer : layers) {
            Result r = layer.forward(queries, keys, pointEmbedding, pe);
            queries = r.queries();
            keys = r.keys();
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
        private final Attention crossAttnTokenToImage;
        private final LayerNorm norm2;
        private final MLPBlock mlp;
        private final LayerNorm norm3;
        private final LayerNorm norm4;
        private final Attention crossAttnImageToToken;
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

        Result forward(Tensor queries, Tensor keys, Tensor queryPe, Tensor keyPe) {
            if (skipFirstLayerPe) {
                queries = selfAttn.forward(queries, queries, queries);
            } else {
                Tensor q = queries.add(queryPe);
                queries = queries.add(selfAttn.forward(q, q, queries));
            }
            queries = norm1.forward(queries);

            Tensor q = queries.add(queryPe);
            Tensor k = keys.add(keyPe);
            queries = norm2.forward(queries.add(crossAttnTokenToImage.forward(q, k, keys)));

            queries = norm3.forward(queries.add(mlp.forward(queries)));

            q = queries.add(queryPe);
            // k is still keys + keyPe: keys have not changed since the token-to-image attention
            keys = norm4.forward(keys.add(crossAttnImageToToken.forward(k, q, queries)));
            return new Result(queries, keys);
        }
    }

    /** Attention with q/k/v projections to embeddingDim / downsampleRate and an output projection. */
    static final class Attention {
        private final int numHeads;
        private final int internalDim;
        private final Linear qProj;
        private final Linear kProj;
        private final Linear vProj;
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
            int b = q.dim(0), nq = q.dim(1);
            int headDim = internalDim / numHeads;
            float scale = (float) (1.0 / Math.sqrt(headDim));
            Tensor qp = qProj.forward(q);
            Tensor kp = kProj.forward(k);
            Tensor vp = vProj.forward(v);
            Tensor out;
            if (b > 1 && kp.layout().stride(0) == 0 && vp.layout().stride(0) == 0) {
                // Every prompt attends to the same keys and values (the image tokens before the first
                // update): fold the prompts into the queries, one attention per head over B * Nq rows.
                Tensor qh = qp.reshape(b * nq, numHeads, headDim).permute(1, 0, 2);                 // heads x B*Nq x d
                Tensor kh = separateHeads(kp.narrow(0, 0, 1));                                       // heads x Nk x d
                Tensor vh = separateHeads(vp.narrow(0, 0, 1));
                out = q.backend().attention(qh, kh, vh, scale, null, null)                           // heads x B*Nq x d
                        .permute(1, 0, 2).reshape(b, nq, internalDim);
            } else if (b > 1) {
                // Many prompts: one attention per head over the B prompts reads each head in place (a
                // column slice of the projections) instead of copying all into (B * heads, N, d).
                List<Tensor> heads = new ArrayList<>(numHeads);
                for (int h = 0; h < numHeads; h++) {
                    heads.add(q.backend().attention(qp.narrow(2, h * headDim, headDim), kp.narrow(2, h * headDim, headDim),
                            vp.narrow(2, h * headDim, headDim), scale, null, null));                  // B x Nq x d
                }
                out = Tensor.concat(heads, 2);                                                           // B x Nq x C
            } else {
                Tensor o = q.backend().attention(separateHeads(qp), separateHeads(kp), separateHeads(vp), scale, null, null);
                out = o.reshape(b, numHeads, nq, headDim).permute(0, 2, 1, 3).reshape(b, nq, internalDim);
            }
            return outProj.forward(out);
        }
    }
}
