package dev.jsam.nn;

import dev.jsam.tensor.Tensor;

/**
 * SAM's LayerNorm2d (modeling/common.py): normalises over the channel dim of (N, C, H, W).
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class LayerNorm2d {
    /** The reference's default eps for LayerNorm2d. */
    public static final float DEFAULT_EPS = 1e-6f;

    private final Tensor weight; // (C)
    private final Tensor bias;   // (C)
    private final float eps;

    public LayerNorm2d(Weights w, int channels, float eps) {
        this.weight = w.get("weight", channels);
        this.bias = w.get("bias", channels);
        this.eps = eps;
    }

    /** (N, C, H, W) -> (N, C, H, W). */
    public Tensor forward(Tensor x) {
        return x.backend().layerNorm2d(x, weight, bias, eps);
    }
}
