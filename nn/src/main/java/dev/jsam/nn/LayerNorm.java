package dev.jsam.nn;

import dev.jsam.tensor.Tensor;

/**
 * torch.nn.LayerNorm over the last dim with affine weight and bias.
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class LayerNorm {
    private final Tensor weight; // (C)
    private final Tensor bias;   // (C)
    private final float eps;

    public LayerNorm(Weights w, int dim, float eps) {
        this.weight = w.get("weight", dim);
        this.bias = w.get("bias", dim);
        this.eps = eps;
    }

    /** (..., C) -> (..., C). */
    public Tensor forward(Tensor x) {
        return x.backend().layerNorm(x, weight, bias, eps);
    }
}
