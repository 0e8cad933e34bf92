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
        float[] out = be.newFloats(Math.multiplyExact(planes, Math.multiplyExact(outH, outW)));
        // Separable, in the reference's order: every input row interpolated along x once (the
        // top and bottom terms of all output rows that use it), then each output row as
        // top * wy0 + bottom * wy1. Planes go in groups so the row buffer stays bounded.
        int group = Math.max(1, Math.min(planes, bufferFloats / Math.max(1, h * outW)));
        float[] rows = be.newFloats(Math.multiplyExact(group, Math.multiplyExact(h, outW))); // scratch, pooled
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
        be.recycle(rows);
        return be.result(out, x.dim(0), ch, outH, outW);
    }

    /**
     * Backend.interpolateBilinearCropped plane by plane ({@link PlaneResampler}, bit-identical to
     * {@link #bilinear}): each plane's cropped middle (cropH x midW floats of pooled scratch per
     * thread) goes straight into the output, so the middle size is never held for all planes.
     */
    static Tensor bilinearCropped(CpuBackend be, Tensor x, int midH, int midW, int cropH, int cropW, int outH, int outW) {
        CpuBackend.requireF32(x);
        if (x.rank() != 4 || cropH < 1 || cropW < 1 || cropH > midH || cropW > midW) {
            throw new IllegalArgumentException("bilinear resize and crop wants (N, C, H, W) and a crop inside "
                    + midH + " x " + midW + ", got " + x + " and " + cropH + " x " + cropW);
        }
        int h = x.dim(2), w = x.dim(3), planes = x.dim(0) * x.dim(1);
        float[] src;
        int base;
        if (x.isContiguous() && be.segment(x).heapBase().orElse(null) instanceof float[] a) {
            src = a;
            base = Math.toIntExact(x.layout().offset());
        } else {
            src = be.floats(x);
            base = 0;
        }
        int plane = outH * outW;
        float[] out = be.newFloats(Math.multiplyExact(planes, plane));
        be.parallel().forRange(planes, 1, (from, to) -> {
            float[] mid = be.newFloats(cropH * midW); // cropH x midW: the crop's rows at the middle width
            for (int p = from; p < to; p++) {
                new PlaneResampler(src, base + p * h * w, w, h, w, midH, midW).rows(0, cropH, mid, 0);
                new PlaneResampler(mid, 0, midW, cropH, cropW, outH, outW).rows(0, outH, out, p * plane);
            }
            be.recycle(mid);
        });
        return be.result(out, x.dim(0), x.dim(1), outH, outW);
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
        float[] out = be.newFloats(Math.multiplyExact(rows, outL));
        be.parallel().forRange(rows, Math.max(1, 4096 / Math.max(1, outL)), (from, to) -> {
            for (int r = from; r < to; r++) {
                long base = off + (r / ch) * st[0] + (r % ch) * st[1];
                for (int o = 0; o < outL; o++) {
                    out[r * outL + o] = get(seg, base + c.i0()[o] * st[2]) * c.w0()[o] + get(seg, base + c.i1()[o] * st[2]) * c.w1()[o];
                }
            }
        });
        return be.result(out, x.dim(0), ch, outL);
    }

    private static float get(MemorySegment seg, long i) {
        return seg.get(HostData.F32, i * 4);
    }
}
