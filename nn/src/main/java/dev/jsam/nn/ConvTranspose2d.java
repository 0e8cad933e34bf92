package dev.jsam.nn;

import dev.jsam.tensor.Tensor;

/**
 * torch.nn.ConvTranspose2d with square kernel and stride, no padding (SAM's 2x2 stride 2
 * upscaling).
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class ConvTranspose2d {
    private final Tensor weight; // (in, out, k, k)
    private final Tensor bias;   // (out)
    private final int stride;

    public ConvTranspose2d(Weights w, int in, int out, int kernel, int stride) {
        this.weight = w.get("weight", in, out, kernel, kernel);
        this.bias = w.get("bias", out);
        this.stride = stride;
    }

    /** (N, in, H, W) -> (N, out, (H-1)*s+k, (W-1)*s+k). */
    public Tensor forward(Tensor x) {
        return x.backend().convTranspose2d(x, weight, bias, stride, stride);
    }
}
