package dev.jsam.tensor.cpu;

/**
 * One float plane on the host, resized bilinearly (align_corners=False) and handed out a strip of
 * rows or a single column at a time, for outputs too large to hold at once (a mask at the size of a
 * 100-megapixel image is 400 MB of floats). Every value is bit-identical to
 * {@code Backend.interpolateBilinear} on the CPU backends: the same coefficients
 * ({@link BilinearCoeffs}) and the same float operations in the same order, along x and then y.
 * Holds the source plane (not copied), the coefficients and two interpolated rows of scratch:
 * not thread-safe, one per thread.
 */
public final class PlaneResampler {
    private final float[] plane;
    private final int offset;
    private final int rowStride;
    private final int h;
    private final int w;
    private final int outH;
    private final int outW;
    private final BilinearCoeffs cy;
    private final BilinearCoeffs cx;
    // Source rows interpolated along x (outW floats each), kept by source row index: consecutive
    // output rows mostly read the same two source rows.
    private final float[][] xRows = new float[2][];
    private final int[] xRowIndex = {-1, -1};
    private float[] columnScratch;

    /**
     * A resampler over the h x w plane whose row y starts at {@code plane[offset + y * rowStride]}
     * (a crop of a larger plane is a smaller w with the larger plane's stride), to outH x outW.
     */
    public PlaneResampler(float[] plane, int offset, int rowStride, int h, int w, int outH, int outW) {
        if (h < 1 || w < 1 || outH < 1 || outW < 1 || rowStride < w || offset < 0
                || offset + (long) (h - 1) * rowStride + w > plane.length) {
            throw new IllegalArgumentException("a " + h + " x " + w + " plane at offset " + offset + ", row stride "
                    + rowStride + " does not fit " + plane.length + " floats, or a size is not positive ("
                    + outH + " x " + outW + ")");
        }
        this.plane = plane;
        this.offset = offset;
        this.rowStride = rowStride;
        this.h = h;
        this.w = w;
        this.outH = outH;
        this.outW = outW;
        this.cy = BilinearCoeffs.of(h, outH);
        this.cx = BilinearCoeffs.of(w, outW);
    }

    public int outHeight() {
        return outH;
    }

    public int outWidth() {
        return outW;
    }

    /** Output rows [y0, y1) into dst from dstOffset, (y1 - y0) x outW row-major. */
    public void rows(int y0, int y1, float[] dst, int dstOffset) {
        if (y0 < 0 || y1 > outH || y0 > y1 || dstOffset < 0 || dstOffset + (long) (y1 - y0) * outW > dst.length) {
            throw new IndexOutOfBoundsException("rows " + y0 + ".." + y1 + " of " + outH + " into " + dst.length
                    + " floats at " + dstOffset);
        }
        for (int oy = y0; oy < y1; oy++) {
            float[] top = xRow(cy.i0()[oy], -1);
            float[] bottom = xRow(cy.i1()[oy], cy.i0()[oy]);
            float yw0 = cy.w0()[oy], yw1 = cy.w1()[oy];
            int d = dstOffset + (oy - y0) * outW;
            for (int ox = 0; ox < outW; ox++) {
                dst[d + ox] = top[ox] * yw0 + bottom[ox] * yw1;
            }
        }
    }

    /** Output column x, all outH values, into dst[0, outH). */
    public void column(int x, float[] dst) {
        if (x < 0 || x >= outW || dst.length < outH) {
            throw new IndexOutOfBoundsException("column " + x + " of " + outW + " into " + dst.length + " floats");
        }
        if (columnScratch == null) {
            columnScratch = new float[h];
        }
        int i0 = cx.i0()[x], i1 = cx.i1()[x];
        float xw0 = cx.w0()[x], xw1 = cx.w1()[x];
        for (int iy = 0; iy < h; iy++) {
            int row = offset + iy * rowStride;
            columnScratch[iy] = plane[row + i0] * xw0 + plane[row + i1] * xw1;
        }
        for (int oy = 0; oy < outH; oy++) {
            dst[oy] = columnScratch[cy.i0()[oy]] * cy.w0()[oy] + columnScratch[cy.i1()[oy]] * cy.w1()[oy];
        }
    }

    /**
     * Source row iy interpolated along x, from the two-row cache or computed into the slot of the
     * lower row index, never into the slot holding row {@code keep} (the other row in use).
     */
    private float[] xRow(int iy, int keep) {
        for (int s = 0; s < 2; s++) {
            if (xRowIndex[s] == iy) {
                return xRows[s];
            }
        }
        int slot = xRowIndex[0] == keep ? 1 : xRowIndex[1] == keep ? 0 : xRowIndex[0] < xRowIndex[1] ? 0 : 1;
        if (xRows[slot] == null) {
            xRows[slot] = new float[outW];
        }
        float[] r = xRows[slot];
        int row = offset + iy * rowStride;
        int[] i0 = cx.i0(), i1 = cx.i1();
        float[] w0 = cx.w0(), w1 = cx.w1();
        for (int ox = 0; ox < outW; ox++) {
            r[ox] = plane[row + i0[ox]] * w0[ox] + plane[row + i1[ox]] * w1[ox];
        }
        xRowIndex[slot] = iy;
        return r;
    }
}
