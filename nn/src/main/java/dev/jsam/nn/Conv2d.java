package dev.jsam.nn;

import dev.jsam.tensor.Tensor;

/**
 * torch.nn.Conv2d with square kernel, stride and zero padding (groups = 1, dilation = 1).
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class Conv2d {
    private final Tensor weight; // (out, in, k, k)
    private final Tensor bias;   // (out) or null
    private final int stride;
    private final int padding;

    public Conv2d(Weights w, int in, int out, int kernel, int stride, int padding, boolean bias) {
        this.weight = w.get("weight", out, in, kernel, kernel);
        this.bias = bias ? w.get("bias", out) : null;
        this.stride = stride;
        this.padding = padding;
    }

    /** (N, in, H, W) -> (N, out, H', W'). */
    public Tensor forward(Tensor x) {
        return x.backend().conv2d(x, weight, bias, stride, stride, padding, padding);
    }
}
