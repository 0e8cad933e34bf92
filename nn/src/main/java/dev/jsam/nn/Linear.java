package dev.jsam.nn;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;

/** torch.nn.Linear: y = x W^T + b, with an optional activation fused into the same kernel. */
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

    /** (..., in) -> act((..., out)). */
    public Tensor forward(Tensor x, Activation act) {
        return x.backend().linear(x, weight, bias, act);
    }

    public int outFeatures() {
        return weight.dim(0);
    }
}
