package dev.jsam.sam.modeling;

import dev.jsam.nn.Weights;
import dev.jsam.tensor.Tensor;

/**
 * TinyViT's Conv2d_BN (tiny_vit_sam.py): a convolution without bias followed by an eval-mode
 * batch norm, folded at load into one convolution with bias, as the reference's fuse() does:
 * weight * gamma / sqrt(var + eps) and beta - mean * gamma / sqrt(var + eps), computed in double
 * and rounded once. groups is 1 (a full convolution) or the channel count (depthwise). Keys:
 * c.weight, bn.weight, bn.bias, bn.running_mean, bn.running_var (and bn.num_batches_tracked,
 * accepted unread). Immutable once built; thread-safe.
 */
final class Conv2dBN {
    /** torch.nn.BatchNorm2d's default eps. */
    static final double BN_EPS = 1e-5;

    private final Tensor weight; // (out, in / groups, ks, ks), folded
    private final Tensor bias;   // (out), folded
    private final int stride;
    private final int pad;
    private final boolean depthwise;

    Conv2dBN(Weights w, int in, int out, int ks, int stride, int pad, int groups) {
        if (groups != 1 && (groups != in || in != out)) {
            throw new IllegalArgumentException("Conv2d_BN supports groups 1 or depthwise, got " + groups + " for " + in
                    + " -> " + out);
        }
        int perGroup = in / groups;
        float[] c = w.sub("c").get("weight", out, perGroup, ks, ks).toFloatArray();
        Weights bn = w.sub("bn");
        float[] gamma = bn.get("weight", out).toFloatArray();
        float[] beta = bn.get("bias", out).toFloatArray();
        float[] mean = bn.get("running_mean", out).toFloatArray();
        float[] var = bn.get("running_var", out).toFloatArray();
        bn.acceptCounter("num_batches_tracked");
        int taps = perGroup * ks * ks;
        float[] fw = new float[c.length];
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt((double) var[o] + BN_EPS);
            for (int i = 0; i < taps; i++) {
                fw[o * taps + i] = (float) (c[o * taps + i] * scale);
            }
            fb[o] = (float) (beta[o] - mean[o] * scale);
        }
        this.weight = Tensor.of(w.backend(), fw, out, perGroup, ks, ks);
        this.bias = Tensor.of(w.backend(), fb, out);
        this.stride = stride;
        this.pad = pad;
        this.depthwise = groups != 1;
    }

    /** (B, in, H, W) -> (B, out, H', W'). */
    Tensor forward(Tensor x) {
        return depthwise ? x.backend().depthwiseConv2d(x, weight, bias, stride, stride, pad, pad)
                : x.backend().conv2d(x, weight, bias, stride, stride, pad, pad);
    }
}
