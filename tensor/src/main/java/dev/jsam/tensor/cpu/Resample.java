package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.ref.RefResample;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * Bilinear (NCHW) and linear (NCL) resizing with align_corners=False: the reference's
 * coefficients ({@link RefResample#coefficients}) and its exact order of float operations,
 * with the coefficients computed once per call, bilinear done separably (each input row
 * interpolated along x once, not once per output row that uses it), inputs read through
 * their strides and the rows spread over threads. Bit-identical to the reference.
 * {@link PlaneResampler} gives the same values a strip of rows or a column at a time.
 */
final class Resample {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ROWS_BUFFER_FLOATS = 1 << 23;

    private Resample() {
    }

    static Tensor bilinear(CpuBackend be, Tensor x, int outH, int outW) {
        return bilinear(be, x, outH, outW, ROWS_BUFFER_FLOATS);
    }

    /** As above, with the x-interpolated rows of at most bufferFloats / (h * outW) planes held at once. */
    static Tensor bilinear(CpuBackend be, Tensor x, int outH, int outW, int bufferFloats) {
        CpuBackend.requireF32(x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("bilinear interpolation wants (N, C, H, W), got " + x);
        }
        int ch = x.dim(1), h = x.dim(2), w = x.dim(3);
        int planes = x.dim(0) * ch;
        BilinearCoeffs cy = BilinearCoeffs.of(h, outH), cx = BilinearCoeffs.of(w, outW);
        MemorySegment seg = be.segment(x);
        long[] st = x.layout().strides();
        long off = x.layout().offset();
        float[] out = new float[Math.multiplyExact(planes, Math.multiplyExact(outH, outW))];
        // Separable, in the reference's order: every input row interpolated along x once (the
        // top and bottom terms of all output rows that use it), then each output row as
        // top * wy0 + bottom * wy1. Planes go in groups so the row buffer stays bounded.
        int group = Math.max(1, Math.min(planes, bufferFloats / Math.max(1, h * outW)));
        float[] rows = new float[Math.multiplyExact(group, Math.multiplyExact(h, outW))];
        int grain = Math.max(1, 4096 / Math.max(1, outW));
        for (int p0 = 0; p0 < planes; p0 += group) {
            int g = Math.min(group, planes - p0), first = p0;
            be.parallel().forRange(g * h, grain, (from, to) -> {
                for (int t = from; t < to; t++) {
                    int p = first + t / h, iy = t % h;
                    long row = off + (p / ch) * st[0] + (p % ch) * st[1] + iy * st[2];
                    int dst = t * outW;
                    for (int ox = 0; ox < outW; ox++) {
                        rows[dst + ox] = get(seg, row + cx.i0()[ox] * st[3]) * cx.w0()[ox]
                                + get(seg, row + cx.i1()[ox] * st[3]) * cx.w1()[ox];
                    }
                }
            });
            be.parallel().forRange(g * outH, grain, (from, to) -> {
                for (int t = from; t < to; t++) {
                    int q = t / outH, oy = t % outH;
                    int top = (q * h + cy.i0()[oy]) * outW, bottom = (q * h + cy.i1()[oy]) * outW;
                    float yw0 = cy.w0()[oy], yw1 = cy.w1()[oy];
                    FloatVector vw0 = FloatVector.broadcast(S, yw0), vw1 = FloatVector.broadcast(S, yw1);
                    int dst = ((first + q) * outH + oy) * outW;
                    int ox = 0;
                    for (int bound = S.loopBound(outW); ox < bound; ox += S.length()) {
                        FloatVector.fromArray(S, rows, top + ox).mul(vw0)
                                .add(FloatVector.fromArray(S, rows, bottom + ox).mul(vw1)).intoArray(out, dst + ox);
                    }
                    for (; ox < outW; ox++) {
                        out[dst + ox] = rows[top + ox] * yw0 + rows[bottom + ox] * yw1;
                    }
                }
            });
        }
        return be.wrap(out, x.dim(0), ch, outH, outW);
    }

    static Tensor linear(CpuBackend be, Tensor x, int outL) {
        CpuBackend.requireF32(x);
        if (x.rank() != 3) {
            throw new IllegalArgumentException("linear interpolation wants (N, C, L), got " + x);
        }
        int ch = x.dim(1), len = x.dim(2), rows = x.dim(0) * ch;
        BilinearCoeffs c = BilinearCoeffs.of(len, outL);
        MemorySegment seg = be.segment(x);
        long[] st = x.layout().strides();
        long off = x.layout().offset();
        float[] out = new float[Math.multiplyExact(rows, outL)];
        be.parallel().forRange(rows, Math.max(1, 4096 / Math.max(1, outL)), (from, to) -> {
            for (int r = from; r < to; r++) {
                long base = off + (r / ch) * st[0] + (r % ch) * st[1];
                for (int o = 0; o < outL; o++) {
                    out[r * outL + o] = get(seg, base + c.i0()[o] * st[2]) * c.w0()[o] + get(seg, base + c.i1()[o] * st[2]) * c.w1()[o];
                }
            }
        });
        return be.wrap(out, x.dim(0), ch, outL);
    }

    private static float get(MemorySegment seg, long i) {
        return seg.get(HostData.F32, i * 4);
    }
}
