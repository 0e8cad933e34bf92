package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.ref.RefResample;

import java.lang.foreign.MemorySegment;

/**
 * Bilinear (NCHW) and linear (NCL) resizing with align_corners=False: the reference's
 * coefficients ({@link RefResample#coefficients}) and its exact order of float operations,
 * with the per-column coefficients computed once per call, inputs read through
 * their strides and the planes spread over threads. Bit-identical to the reference.
 */
final class Resample {
    private Resample() {
    }

    /** Source indices and weights for each output index: i0, i1, w0, w1. */
    private record Coeffs(int[] i0, int[] i1, float[] w0, float[] w1) {
        static Coeffs of(int in, int out) {
            Coeffs c = new Coeffs(new int[out], new int[out], new float[out], new float[out]);
            int[] idx = new int[2];
            float[] wts = new float[2];
            for (int d = 0; d < out; d++) {
                RefResample.coefficients(in, out, d, idx, wts);
                c.i0[d] = idx[0];
                c.i1[d] = idx[1];
                c.w0[d] = wts[0];
                c.w1[d] = wts[1];
            }
            return c;
        }
    }

    static Tensor bilinear(CpuBackend be, Tensor x, int outH, int outW) {
        CpuBackend.requireF32(x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("bilinear interpolation wants (N, C, H, W), got " + x);
        }
        int ch = x.dim(1), h = x.dim(2), w = x.dim(3);
        int planes = x.dim(0) * ch;
        Coeffs cy = Coeffs.of(h, outH), cx = Coeffs.of(w, outW);
        MemorySegment seg = be.segment(x);
        long[] st = x.layout().strides();
        long off = x.layout().offset();
        float[] out = new float[Math.multiplyExact(planes, Math.multiplyExact(outH, outW))];
        be.parallel().forRange(planes * outH, Math.max(1, 4096 / Math.max(1, outW)), (from, to) -> {
            for (int t = from; t < to; t++) {
                int p = t / outH, oy = t % outH;
                long base = off + (p / ch) * st[0] + (p % ch) * st[1];
                long r0 = base + cy.i0[oy] * st[2], r1 = base + cy.i1[oy] * st[2];
                float yw0 = cy.w0[oy], yw1 = cy.w1[oy];
                int dst = t * outW;
                for (int ox = 0; ox < outW; ox++) {
                    long c0 = cx.i0[ox] * st[3], c1 = cx.i1[ox] * st[3];
                    float xw0 = cx.w0[ox], xw1 = cx.w1[ox];
                    float top = get(seg, r0 + c0) * xw0 + get(seg, r0 + c1) * xw1;
                    float bottom = get(seg, r1 + c0) * xw0 + get(seg, r1 + c1) * xw1;
                    out[dst + ox] = top * yw0 + bottom * yw1;
                }
            }
        });
        return be.wrap(out, x.dim(0), ch, outH, outW);
    }

    static Tensor linear(CpuBackend be, Tensor x, int outL) {
        CpuBackend.requireF32(x);
        if (x.rank() != 3) {
            throw new IllegalArgumentException("linear interpolation wants (N, C, L), got " + x);
        }
        int ch = x.dim(1), len = x.dim(2), rows = x.dim(0) * ch;
        Coeffs c = Coeffs.of(len, outL);
        MemorySegment seg = be.segment(x);
        long[] st = x.layout().strides();
        long off = x.layout().offset();
        float[] out = new float[Math.multiplyExact(rows, outL)];
        be.parallel().forRange(rows, Math.max(1, 4096 / Math.max(1, outL)), (from, to) -> {
            for (int r = from; r < to; r++) {
                long base = off + (r / ch) * st[0] + (r % ch) * st[1];
                for (int o = 0; o < outL; o++) {
                    out[r * outL + o] = get(seg, base + c.i0[o] * st[2]) * c.w0[o] + get(seg, base + c.i1[o] * st[2]) * c.w1[o];
                }
            }
        });
        return be.wrap(out, x.dim(0), ch, outL);
    }

    private static float get(MemorySegment seg, long i) {
        return seg.get(HostData.F32, i * 4);
    }
}
