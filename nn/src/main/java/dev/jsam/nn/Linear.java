package dev.jsam.nn;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;

/**
 * torch.nn.Linear: y = x W^T + b, with an optional activation fused into the same kernel.
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class Linear {
    private final Tensor weight; // (out, in)
    private final Tensor bias;   // (out) or null

    public Linear(Weights w, int in, int out, boolean bias) {
        this.weight = w.get("weight", out, in);
        this.bias = bias ? w.get("bias", out) : null;
    }

    /** (..., in) -> (..., out). */
    public Tensor forward(Tensor x) {
        return forward(x, Activation.NONE);
    }

    /**
     * (..., in) -> act((..., out)). An input broadcast along dim 0 (the same rows for every batch
     * index, as the decoder's image tokens for a batch of prompts) is computed once and broadcast.
     */
    public Tensor forward(Tensor x, Activation act) {
        if (x.rank() > 2 && x.dim(0) > 1 && x.layout().stride(0) == 0) {
            int[] outShape = x.shape();
            outShape[outShape.length - 1] = weight.dim(0);
            return x.backend().linear(x.narrow(0, 0, 1), weight, bias, act).expand(outShape);
        }
        return x.backend().linear(x, weight, bias, act);
    }

    public int outFeatures() {
        return weight.dim(0);
    }

    /** The weight (out, in), for callers that fold the projection into other products. */
    public Tensor weight() {
        return weight;
    }

    /** The bias (out), or null. */
    public Tensor bias() {
        return bias;
    }
}
