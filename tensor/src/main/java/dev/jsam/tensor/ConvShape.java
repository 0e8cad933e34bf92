package dev.jsam.tensor;

/**
 * The shapes of conv2d (weight (Cout, Cin, kh, kw)), depthwise conv2d (weight (C, 1, kh, kw)) and
 * conv_transpose2d (weight (Cin, Cout, kh, kw)) on an (N, Cin, H, W) input: checked once here for
 * every backend, with the output size.
 * Immutable, thread-safe.
 */
public record ConvShape(int n, int cin, int h, int w, int cout, int kh, int kw, int oh, int ow) {

    /** conv2d with strides sh, sw and zero padding ph, pw. */
    public static ConvShape conv2d(Tensor x, Tensor weight, int sh, int sw, int ph, int pw) {
        check("conv2d", x, weight, 1);
        int h = x.dim(2), w = x.dim(3), kh = weight.dim(2), kw = weight.dim(3);
        return new ConvShape(x.dim(0), x.dim(1), h, w, weight.dim(0), kh, kw, (h + 2 * ph - kh) / sh + 1,
                (w + 2 * pw - kw) / sw + 1);
    }

    /**
     * Depthwise conv2d (torch's Conv2d with groups = channels): channel c of the input convolved with
     * weight[c, 0] alone, so cout = cin; bias (C) or null; strides sh, sw and zero padding ph, pw.
     */
    public static ConvShape depthwise(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        if (x.rank() != 4 || weight.rank() != 4 || weight.dim(0) != x.dim(1) || weight.dim(1) != 1) {
            throw new IllegalArgumentException("depthwiseConv2d: input " + x + " does not match weight " + weight
                    + " (C, 1, kh, kw)");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != x.dim(1))) {
            throw new IllegalArgumentException("depthwiseConv2d: bias " + bias + " does not match " + x.dim(1) + " channels");
        }
        if (sh < 1 || sw < 1 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException("depthwiseConv2d: strides " + sh + ", " + sw + " and padding " + ph + ", " + pw);
        }
        int h = x.dim(2), w = x.dim(3), kh = weight.dim(2), kw = weight.dim(3);
        if (h + 2 * ph < kh || w + 2 * pw < kw) {
            throw new IllegalArgumentException("depthwiseConv2d: kernel " + kh + "x" + kw + " larger than the padded input " + x);
        }
        return new ConvShape(x.dim(0), x.dim(1), h, w, x.dim(1), kh, kw, (h + 2 * ph - kh) / sh + 1,
                (w + 2 * pw - kw) / sw + 1);
    }

    /** conv_transpose2d with strides sh, sw, no padding. */
    public static ConvShape transposed(Tensor x, Tensor weight, int sh, int sw) {
        check("convTranspose2d", x, weight, 0);
        int h = x.dim(2), w = x.dim(3), kh = weight.dim(2), kw = weight.dim(3);
        return new ConvShape(x.dim(0), x.dim(1), h, w, weight.dim(1), kh, kw, (h - 1) * sh + kh, (w - 1) * sw + kw);
    }

    private static void check(String op, Tensor x, Tensor weight, int cinDim) {
        if (x.rank() != 4 || weight.rank() != 4 || weight.dim(cinDim) != x.dim(1)) {
            throw new IllegalArgumentException(op + ": input " + x + " does not match weight " + weight);
        }
    }
}
