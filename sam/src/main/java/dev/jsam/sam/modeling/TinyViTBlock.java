package dev.jsam.sam.modeling;

import dev.jsam.nn.LayerNorm;
import dev.jsam.nn.Linear;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Activation;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TinyViT's transformer block (tiny_vit_sam.py TinyViTBlock, Attention, Mlp): windowed attention
 * with a learned bias per head and window offset, a residual, a depthwise 3x3 convolution, then a
 * residual MLP. The attention and the MLP normalise their own input, so the zero padding of the
 * windows is normalised too (to the norm's bias) and takes part in the attention, as in the
 * reference. Immutable once built; thread-safe.
 */
final class TinyViTBlock {
    /** torch.nn.LayerNorm's default eps, which TinyViT's attention and MLP norms keep. */
    static final float NORM_EPS = 1e-5f;

    private final int resolution;
    private final int windowSize;
    private final Attention attn;
    private final Mlp mlp;
    private final Conv2dBN localConv;

    TinyViTBlock(Weights w, int dim, int resolution, int numHeads, int windowSize, int mlpRatio, int localConvSize) {
        this.resolution = resolution;
        this.windowSize = windowSize;
        this.attn = new Attention(w.sub("attn"), dim, numHeads, windowSize);
        this.mlp = new Mlp(w.sub("mlp"), dim, dim * mlpRatio);
        this.localConv = new Conv2dBN(w.sub("local_conv"), dim, dim, localConvSize, 1, localConvSize / 2, dim);
    }

    /** (B, L, C) with L = resolution^2 -> (B, L, C). */
    Tensor forward(Tensor x) {
        int b = x.dim(0), l = x.dim(1), c = x.dim(2);
        int h = resolution, w = resolution, ws = windowSize;
        Tensor resX = x;
        if (h == ws && w == ws) {
            x = attn.forward(x);
        } else {
            int padB = (ws - h % ws) % ws, padR = (ws - w % ws) % ws;
            Tensor grid = x.reshape(b, h, w, c);
            if (padB > 0 || padR > 0) {
                grid = grid.pad(new int[] {0, 0, 0, padR, 0, padB}, 0f);
            }
            int ph = h + padB, pw = w + padR, nh = ph / ws, nw = pw / ws;
            Tensor windows = grid.reshape(b, nh, ws, nw, ws, c).permute(0, 1, 3, 2, 4, 5)
                    .reshape(b * nh * nw, ws * ws, c); // B*nW x ws*ws x C
            x = attn.forward(windows).reshape(b, nh, nw, ws, ws, c).permute(0, 1, 3, 2, 4, 5)
                    .reshape(b, ph, pw, c).narrow(1, 0, h).narrow(2, 0, w).reshape(b, l, c);
        }
        x = resX.add(x);
        x = localConv.forward(x.transpose(1, 2).reshape(b, c, h, w)).reshape(b, c, l).transpose(1, 2); // B x L x C
        return x.add(mlp.forward(x));
    }

    /**
     * Multi-head attention in a window of ws x ws tokens with key_dim = head dim (attn_ratio 1),
     * qkv laid out per head as [q | k | v], and attention_biases (heads, offsets) gathered by the
     * |dy|, |dx| offset of each query-key pair.
     */
    static final class Attention {
        private final LayerNorm norm;
        private final Linear qkv;
        private final Linear proj;
        private final int numHeads;
        private final int keyDim;
        private final float scale;
        private final Tensor ab; // (heads, N, N): attention_biases[:, attention_bias_idxs]

        Attention(Weights w, int dim, int numHeads, int windowSize) {
            this.numHeads = numHeads;
            this.keyDim = dim / numHeads;
            this.scale = (float) Math.pow(keyDim, -0.5);
            this.norm = new LayerNorm(w.sub("norm"), dim, NORM_EPS);
            this.qkv = new Linear(w.sub("qkv"), dim, 3 * dim, true);
            this.proj = new Linear(w.sub("proj"), dim, dim, true);
            int[] idxs = biasIndexes(windowSize);
            int n = windowSize * windowSize;
            Tensor biases = w.get("attention_biases", numHeads, java.util.Arrays.stream(idxs).max().orElse(-1) + 1);
            float[] idx = new float[idxs.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = idxs[i];
            }
            Tensor index = Tensor.of(w.backend(), idx, idx.length).to(DType.I64);
            this.ab = w.backend().indexSelect(biases, 1, index).reshape(numHeads, n, n);
        }

        /**
         * attention_bias_idxs: for every (query, key) pair of window points in row-major order, the
         * index of their (|dy|, |dx|) offset, offsets numbered in the order they first appear.
         */
        static int[] biasIndexes(int windowSize) {
            int n = windowSize * windowSize;
            Map<Long, Integer> offsets = new LinkedHashMap<>();
            int[] idxs = new int[n * n];
            for (int p1 = 0; p1 < n; p1++) {
                for (int p2 = 0; p2 < n; p2++) {
                    long dy = Math.abs(p1 / windowSize - p2 / windowSize);
                    long dx = Math.abs(p1 % windowSize - p2 % windowSize);
                    Integer k = offsets.putIfAbsent(dy << 32 | dx, offsets.size());
                    idxs[p1 * n + p2] = k == null ? offsets.size() - 1 : k;
                }
            }
            return idxs;
        }

        /** (B, N, C) -> (B, N, C). */
        Tensor forward(Tensor x) {
            int b = x.dim(0), n = x.dim(1), c = x.dim(2);
            Tensor qkvOut = qkv.forward(norm.forward(x)).reshape(b, n, numHeads, 3 * keyDim).permute(0, 2, 1, 3);
            Tensor q = qkvOut.narrow(3, 0, keyDim);          // B x heads x N x kd
            Tensor k = qkvOut.narrow(3, keyDim, keyDim);
            Tensor v = qkvOut.narrow(3, 2 * keyDim, keyDim);
            Tensor attn = q.matmul(k.transpose(2, 3)).mul(scale).add(ab).softmax(); // B x heads x N x N
            Tensor out = attn.matmul(v).transpose(1, 2).reshape(b, n, c);           // B x N x heads*kd
            return proj.forward(out);
        }
    }

    /** LayerNorm, fc1, GELU, fc2. */
    static final class Mlp {
        private final LayerNorm norm;
        private final Linear fc1;
        private final Linear fc2;

        Mlp(Weights w, int dim, int hidden) {
            this.norm = new LayerNorm(w.sub("norm"), dim, NORM_EPS);
            this.fc1 = new Linear(w.sub("fc1"), dim, hidden, true);
            this.fc2 = new Linear(w.sub("fc2"), hidden, dim, true);
        }

        /** (..., C) -> (..., C). */
        Tensor forward(Tensor x) {
            return fc2.forward(fc1.forward(norm.forward(x), Activation.GELU));
        }
    }
}
