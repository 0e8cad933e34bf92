package dev.jsam.tensor;

/**
 * Depthwise conv2d composed of ops every backend has (pad, strided views, broadcast multiply and
 * add): one term per kernel tap, the input window of that tap times the tap's per-channel weight.
 * It is {@link Backend#depthwiseConv2d}'s default, so a backend without its own kernel (CUDA) runs
 * it; the CPU backends have direct kernels. Stateless: thread-safe.
 */
public final class DepthwiseByTaps {
    private DepthwiseByTaps() {
    }

    /** As {@link Backend#depthwiseConv2d}, on {@code be}. */
    public static Tensor compute(Backend be, Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        ConvShape cs = ConvShape.depthwise(x, weight, bias, sh, sw, ph, pw);
        int n = cs.n(), c = cs.cin(), oh = cs.oh(), ow = cs.ow();
        // Pad so that each tap's rows ky, ky + sh, ... fit in a (oh * sh) run that a reshape by the
        // stride can pick every sh-th of; the extra rows (bottom, right) are never picked.
        int hp = cs.kh() - 1 + oh * sh, wp = cs.kw() - 1 + ow * sw;
        Tensor xp = be.pad(x, new int[] {pw, wp - cs.w() - pw, ph, hp - cs.h() - ph}, 0f); // N x C x hp x wp
        Tensor acc = null;
        for (int ky = 0; ky < cs.kh(); ky++) {
            for (int kx = 0; kx < cs.kw(); kx++) {
                Tensor tap = xp.narrow(2, ky, oh * sh).reshape(n, c, oh, sh, wp).select(3, 0)
                        .narrow(3, kx, ow * sw).reshape(n, c, oh, ow, sw).select(4, 0); // N x C x oh x ow
                Tensor wt = weight.narrow(2, ky, 1).narrow(3, kx, 1).reshape(c, 1, 1);
                Tensor term = be.binary(BinaryOp.MUL, tap, wt);
                acc = acc == null ? term : be.binary(BinaryOp.ADD, acc, term);
            }
        }
        return bias == null ? acc : be.binary(BinaryOp.ADD, acc, bias.reshape(c, 1, 1));
    }
}
