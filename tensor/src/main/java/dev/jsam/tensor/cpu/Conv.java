package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.ConvShape;
import dev.jsam.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * conv2d as im2col + {@link Gemm} (out[n] = W (Cout x Cin*kh*kw) . patches), and
 * convTranspose2d as one GEMM (W^T . x[n]) followed by a scatter-add of each kernel tap into
 * the strided output. Inputs are read through their strides; the 1x1 stride-1 unpadded conv
 * feeds x to the GEMM directly. Bias is added per output channel after the GEMM.
 */
final class Conv {
    private Conv() {
    }

    static Tensor conv2d(CpuBackend be, Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        CpuBackend.requireF32(x);
        CpuBackend.requireF32(weight);
        ConvShape cs = ConvShape.conv2d(x, weight, sh, sw, ph, pw);
        int nb = cs.n(), cin = cs.cin(), h = cs.h(), w = cs.w(), cout = cs.cout(), kh = cs.kh(), kw = cs.kw();
        int oh = cs.oh(), ow = cs.ow();
        int k = cin * kh * kw, p = oh * ow;
        float[] out = be.newFloats(Math.multiplyExact(nb, Math.multiplyExact(cout, p)));
        Tensor w2 = weight.reshape(cout, k);
        GemmOperand a = new GemmOperand(be.segment(w2), w2.layout().offset(), w2.layout().stride(0), w2.layout().stride(1));
        MemorySegment xs = be.segment(x);
        long[] st = x.layout().strides();
        boolean direct = kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0 && (h == 1 || st[2] == st[3] * w);
        float[] cols = direct ? null : be.newFloats(Math.multiplyExact(k, p)); // im2col scratch, pooled
        for (int n = 0; n < nb; n++) {
            long base = x.layout().offset() + n * st[0];
            GemmOperand b;
            if (direct) {
                b = new GemmOperand(xs, base, st[1], st[3]);
            } else {
                im2col(be.parallel(), xs, base, st, cin, h, w, kh, kw, sh, sw, ph, pw, oh, ow, cols);
                b = new GemmOperand(MemorySegment.ofArray(cols), 0, p, 1);
            }
            Gemm.gemm(be.parallel(), be.pool(), cout, p, k, a, b, out, n * cout * p, p, null, Activation.NONE);
        }
        if (cols != null) {
            be.recycle(cols);
        }
        addChannelBias(be, bias, out, nb, cout, p);
        return be.result(out, nb, cout, oh, ow);
    }

    /** cols[(ci * kh + ky) * kw + kx][oy * ow + ox] = x[ci, oy * sh - ph + ky, ox * sw - pw + kx] or 0 outside. */
    private static void im2col(Parallel par, MemorySegment xs, long base, long[] st, int cin, int h, int w, int kh, int kw,
                               int sh, int sw, int ph, int pw, int oh, int ow, float[] cols) {
        int p = oh * ow;
        par.forRange(cin * kh * kw, 4, (from, to) -> {
            for (int r = from; r < to; r++) {
                int ci = r / (kh * kw), ky = r / kw % kh, kx = r % kw;
                int row = r * p;
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * sh - ph + ky;
                    int dst = row + oy * ow;
                    if (iy < 0 || iy >= h) {
                        java.util.Arrays.fill(cols, dst, dst + ow, 0f);
                        continue;
                    }
                    long src = base + ci * st[1] + iy * st[2];
                    for (int ox = 0; ox < ow; ox++) {
                        int ix = ox * sw - pw + kx;
                        cols[dst + ox] = ix < 0 || ix >= w ? 0f : xs.get(HostData.F32, (src + ix * st[3]) * 4);
                    }
                }
            }
        });
    }

    static Tensor convTranspose2d(CpuBackend be, Tensor x, Tensor weight, Tensor bias, int sh, int sw) {
        CpuBackend.requireF32(x);
        CpuBackend.requireF32(weight);
        ConvShape cs = ConvShape.transposed(x, weight, sh, sw);
        int nb = cs.n(), cin = cs.cin(), h = cs.h(), w = cs.w(), cout = cs.cout(), kh = cs.kh(), kw = cs.kw();
        int oh = cs.oh(), ow = cs.ow();
        int rows = cout * kh * kw, p = h * w;
        Tensor w2 = weight.reshape(cin, rows);
        GemmOperand a = new GemmOperand(be.segment(w2), w2.layout().offset(), w2.layout().stride(0), w2.layout().stride(1))
                .transposed();
        Tensor xc = x.layout().stride(2) == x.layout().stride(3) * w || h == 1 ? x : be.contiguous(x);
        long[] st = xc.layout().strides();
        float[] y = be.newFloats(Math.multiplyExact(rows, p)); // per-image GEMM scratch, pooled
        float[] out = be.newFloats(Math.multiplyExact(nb, Math.multiplyExact(cout, oh * ow)));
        for (int n = 0; n < nb; n++) {
            GemmOperand b = new GemmOperand(be.segment(xc), xc.layout().offset() + n * st[0], st[1], st[3]);
            Gemm.gemm(be.parallel(), be.pool(), rows, p, cin, a, b, y, 0, p, null, Activation.NONE);
            int obase = n * cout * oh * ow;
            be.parallel().forRange(cout, 1, (from, to) -> {
                for (int co = from; co < to; co++) {
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int src = ((co * kh + ky) * kw + kx) * p;
                            for (int iy = 0; iy < h; iy++) {
                                int dst = obase + (co * oh + iy * sh + ky) * ow + kx;
                                for (int ix = 0; ix < w; ix++) {
                                    out[dst + ix * sw] += y[src + iy * w + ix];
                                }
                            }
                        }
                    }
                }
            });
        }
        be.recycle(y);
        addChannelBias(be, bias, out, nb, cout, oh * ow);
        return be.result(out, nb, cout, oh, ow);
    }

    private static void addChannelBias(CpuBackend be, Tensor bias, float[] out, int nb, int cout, int plane) {
        if (bias == null) {
            return;
        }
        float[] b = be.floats(bias);
        be.parallel().forRange(nb * cout, 4, (from, to) -> {
            for (int t = from; t < to; t++) {
                float v = b[t % cout];
                for (int i = t * plane, e = i + plane; i < e; i++) {
                    out[i] += v;
                }
            }
        });
    }
}
