package dev.jsam.tensor.cpu.ref;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.ConvShape;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.MatmulShape;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;

import java.util.Arrays;

/**
 * The scalar oracle for matmul, linear, convolutions and attention: textbook loops with double
 * accumulators over contiguous copies. The fast kernels are tested against these.
 * Stateless static methods: thread-safe.
 */
public final class RefLinalg {
    private RefLinalg() {
    }

    public static Tensor matmul(CpuBackend be, Tensor a, Tensor b) {
        MatmulShape ms = MatmulShape.of(a, b);
        int m = ms.m(), k = ms.k(), n = ms.n();
        int[] batch = ms.batch();
        float[] x = be.floats(a.expand(ms.aShape()));
        float[] y = be.floats(b.expand(ms.bShape()));
        int batches = (int) Layout.numel(batch);
        float[] out = new float[batches * m * n];
        for (int t = 0; t < batches; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += (double) x[(t * m + i) * k + p] * y[(t * k + p) * n + j];
                    }
                    out[(t * m + i) * n + j] = (float) acc;
                }
            }
        }
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        return be.wrap(out, outShape);
    }

    public static Tensor linear(CpuBackend be, Tensor x, Tensor weight, Tensor bias, Activation act) {
        int k = x.dim(-1);
        int n = weight.dim(0);
        if (weight.rank() != 2 || weight.dim(1) != k) {
            throw new IllegalArgumentException("linear: input " + x + " does not match weight " + weight);
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != n)) {
            throw new IllegalArgumentException("linear: bias " + bias + " does not match weight " + weight);
        }
        float[] a = be.floats(x);
        float[] w = be.floats(weight);
        float[] b = bias == null ? null : be.floats(bias);
        int rows = a.length / Math.max(k, 1);
        float[] out = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double acc = b == null ? 0 : b[j];
                for (int p = 0; p < k; p++) {
                    acc += (double) a[r * k + p] * w[j * k + p];
                }
                float v = (float) acc;
                out[r * n + j] = act.op() == null ? v : act.op().reference(v);
            }
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = n;
        return be.wrap(out, shape);
    }

    public static Tensor conv2d(CpuBackend be, Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        ConvShape cs = ConvShape.conv2d(x, weight, sh, sw, ph, pw);
        int nb = cs.n(), cin = cs.cin(), h = cs.h(), w = cs.w(), cout = cs.cout(), kh = cs.kh(), kw = cs.kw();
        int oh = cs.oh(), ow = cs.ow();
        float[] a = be.floats(x);
        float[] wt = be.floats(weight);
        float[] b = bias == null ? null : be.floats(bias);
        float[] out = new float[nb * cout * oh * ow];
        for (int n = 0; n < nb; n++) {
            for (int co = 0; co < cout; co++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = b == null ? 0 : b[co];
                        for (int ci = 0; ci < cin; ci++) {
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = oy * sh - ph + ky;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = ox * sw - pw + kx;
                                    if (ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    acc += (double) a[((n * cin + ci) * h + iy) * w + ix]
                                            * wt[((co * cin + ci) * kh + ky) * kw + kx];
                                }
                            }
                        }
                        out[((n * cout + co) * oh + oy) * ow + ox] = (float) acc;
                    }
                }
            }
        }
        return be.wrap(out, nb, cout, oh, ow);
    }

    public static Tensor depthwiseConv2d(CpuBackend be, Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph,
                                         int pw) {
        ConvShape cs = ConvShape.depthwise(x, weight, bias, sh, sw, ph, pw);
        int nb = cs.n(), c = cs.cin(), h = cs.h(), w = cs.w(), kh = cs.kh(), kw = cs.kw();
        int oh = cs.oh(), ow = cs.ow();
        float[] a = be.floats(x);
        float[] wt = be.floats(weight);
        float[] b = bias == null ? null : be.floats(bias);
        float[] out = new float[nb * c * oh * ow];
        for (int n = 0; n < nb; n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = b == null ? 0 : b[ch];
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * sh - ph + ky;
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = ox * sw - pw + kx;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    acc += (double) a[((n * c + ch) * h + iy) * w + ix] * wt[(ch * kh + ky) * kw + kx];
                                }
                            }
                        }
                        out[((n * c + ch) * oh + oy) * ow + ox] = (float) acc;
                    }
                }
            }
        }
        return be.wrap(out, nb, c, oh, ow);
    }

    public static Tensor convTranspose2d(CpuBackend be, Tensor x, Tensor weight, Tensor bias, int sh, int sw) {
        ConvShape cs = ConvShape.transposed(x, weight, sh, sw);
        int nb = cs.n(), cin = cs.cin(), h = cs.h(), w = cs.w(), cout = cs.cout(), kh = cs.kh(), kw = cs.kw();
        int oh = cs.oh(), ow = cs.ow();
        float[] a = be.floats(x);
        float[] wt = be.floats(weight);
        float[] b = bias == null ? null : be.floats(bias);
        double[] acc = new double[nb * cout * oh * ow];
        for (int n = 0; n < nb; n++) {
            for (int ci = 0; ci < cin; ci++) {
                for (int iy = 0; iy < h; iy++) {
                    for (int ix = 0; ix < w; ix++) {
                        double v = a[((n * cin + ci) * h + iy) * w + ix];
                        for (int co = 0; co < cout; co++) {
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int oy = iy * sh + ky, ox = ix * sw + kx;
                                    acc[((n * cout + co) * oh + oy) * ow + ox] += v * wt[((ci * cout + co) * kh + ky) * kw + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] out = new float[acc.length];
        for (int i = 0; i < acc.length; i++) {
            out[i] = (float) (acc[i] + (b == null ? 0 : b[(i / (oh * ow)) % cout]));
        }
        return be.wrap(out, nb, cout, oh, ow);
    }

    public static Tensor attention(CpuBackend be, Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW) {
        int bsz = q.dim(0), nq = q.dim(1), d = q.dim(2), nk = k.dim(1), dv = v.dim(2);
        if (k.dim(0) != bsz || v.dim(0) != bsz || k.dim(2) != d || v.dim(1) != nk) {
            throw new IllegalArgumentException("attention shapes q " + q + " k " + k + " v " + v);
        }
        if ((relH == null) != (relW == null)) {
            throw new IllegalArgumentException("attention: relH and relW come together");
        }
        int kh = relH == null ? 0 : relH.dim(2), kw = relW == null ? 0 : relW.dim(2);
        if (relH != null && kh * kw != nk) {
            throw new IllegalArgumentException("attention: rel pos grid " + kh + "x" + kw + " != " + nk + " keys");
        }
        float[] qa = be.floats(q), ka = be.floats(k), va = be.floats(v);
        float[] rh = relH == null ? null : be.floats(relH);
        float[] rw = relW == null ? null : be.floats(relW);
        float[] out = new float[bsz * nq * dv];
        double[] s = new double[nk];
        for (int b = 0; b < bsz; b++) {
            for (int i = 0; i < nq; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < nk; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += (double) qa[(b * nq + i) * d + c] * ka[(b * nk + j) * d + c];
                    }
                    double sc = scale * dot;
                    if (rh != null) {
                        sc += rh[(b * nq + i) * kh + j / kw] + rw[(b * nq + i) * kw + j % kw];
                    }
                    s[j] = sc;
                    max = Math.max(max, sc);
                }
                double sum = 0;
                for (int j = 0; j < nk; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int c = 0; c < dv; c++) {
                    double acc = 0;
                    for (int j = 0; j < nk; j++) {
                        acc += s[j] * va[(b * nk + j) * dv + c];
                    }
                    out[(b * nq + i) * dv + c] = (float) (acc / sum);
                }
            }
        }
        return be.wrap(out, bsz, nq, dv);
    }
}
