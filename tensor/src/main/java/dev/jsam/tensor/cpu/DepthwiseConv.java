package dev.jsam.tensor.cpu;

import dev.jsam.tensor.ConvShape;
import dev.jsam.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Depthwise conv2d (groups = channels): each (n, c) plane is copied once into a zero-padded
 * buffer, so the taps need no bounds checks; stride-1 rows run a Vector API multiply-add per tap
 * over the output row, other strides a scalar loop. Planes are spread over threads. Accumulates in
 * float, bias first, taps in row-major order.
 */
final class DepthwiseConv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private DepthwiseConv() {
    }

    static Tensor conv(CpuBackend be, Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        CpuBackend.requireF32(x);
        ConvShape cs = ConvShape.depthwise(x, weight, bias, sh, sw, ph, pw);
        int c = cs.cin(), h = cs.h(), w = cs.w(), kh = cs.kh(), kw = cs.kw(), oh = cs.oh(), ow = cs.ow();
        int hp = h + 2 * ph, wp = w + 2 * pw;
        float[] in = be.floats(x);
        float[] wt = be.floats(weight);
        float[] b = bias == null ? null : be.floats(bias);
        int planes = cs.n() * c;
        float[] out = be.newFloats(Math.multiplyExact(planes, Math.multiplyExact(oh, ow)));
        be.parallel().forRange(planes, 1, (from, to) -> {
            float[] pad = new float[hp * wp];
            for (int p = from; p < to; p++) {
                int ch = p % c;
                for (int y = 0; y < h; y++) {
                    System.arraycopy(in, (p * h + y) * w, pad, (y + ph) * wp + pw, w);
                }
                float b0 = b == null ? 0f : b[ch];
                int wBase = ch * kh * kw;
                for (int oy = 0; oy < oh; oy++) {
                    int o = (p * oh + oy) * ow;
                    java.util.Arrays.fill(out, o, o + ow, b0);
                    for (int ky = 0; ky < kh; ky++) {
                        int row = (oy * sh + ky) * wp;
                        for (int kx = 0; kx < kw; kx++) {
                            float t = wt[wBase + ky * kw + kx];
                            if (sw == 1) {
                                tapRow(out, o, pad, row + kx, t, ow);
                            } else {
                                for (int ox = 0; ox < ow; ox++) {
                                    out[o + ox] += t * pad[row + ox * sw + kx];
                                }
                            }
                        }
                    }
                }
            }
        });
        return be.result(out, cs.n(), c, oh, ow);
    }

    /** out[o + i] += t * src[s + i] for i in [0, n), with the same rounding (separate multiply and add) on every lane. */
    private static void tapRow(float[] out, int o, float[] src, int s, float t, int n) {
        int i = 0;
        FloatVector tv = FloatVector.broadcast(S, t);
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, src, s + i).mul(tv).add(FloatVector.fromArray(S, out, o + i)).intoArray(out, o + i);
        }
        for (; i < n; i++) {
            out[o + i] += t * src[s + i];
        }
    }
}
