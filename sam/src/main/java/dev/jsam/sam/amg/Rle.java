package dev.jsam.sam.amg;

import java.util.Arrays;

/**
 * Uncompressed run-length encoding of a binary mask, as the reference's {@code mask_to_rle_pytorch}
 * writes it: {@code {"size": [h, w], "counts": [...]}} with runs taken in COLUMN-major (Fortran)
 * order, alternating false/true and starting with a (possibly empty) run of false pixels. This is
 * the long-term form of a mask in automatic mask generation. See {@link CocoRle} for the string form.
 * Immutable (do not modify the counts array), thread-safe.
 */
public final class Rle {
    private final int height;
    private final int width;
    private final int[] counts;

    /** Wraps {@code counts} without copying; they must add up to height * width. */
    public Rle(int height, int width, int[] counts) {
        long sum = 0;
        for (int c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative run length " + c);
            }
            sum += c;
        }
        if (sum != (long) height * width) {
            throw new IllegalArgumentException("runs add up to " + sum + ", not " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        this.counts = counts;
    }

    /** Encodes a mask: the reference's {@code mask_to_rle_pytorch} for one mask. */
    public static Rle fromMask(BinaryMask mask) {
        return fromCrop(mask.data(), mask.height(), mask.width(), 0, 0, mask.height(), mask.width());
    }

    /**
     * Encodes the mask that {@code crop} (cropH x cropW, row-major) becomes once padded with false
     * pixels into an origH x origW image at offset (x0, y0), without building that padded mask:
     * equal to {@code fromMask(new BinaryMask(cropH, cropW, crop).uncrop(...))}.
     */
    public static Rle fromCrop(boolean[] crop, int cropH, int cropW, int x0, int y0, int origH, int origW) {
        if (crop.length != cropH * cropW || x0 < 0 || y0 < 0 || x0 + cropW > origW || y0 + cropH > origH) {
            throw new IllegalArgumentException("crop " + cropH + "x" + cropW + " at (" + x0 + ", " + y0
                    + ") does not fit in " + origH + "x" + origW);
        }
        if (cropH == 0 || cropW == 0) {
            return new Rle(origH, origW, new int[] {origH * origW});
        }
        int[] ends = columnChanges(crop, cropH, cropW);
        RunWriter runs = new RunWriter();
        runs.add(false, x0 * origH + y0);
        int k = 0;
        for (int cx = 0; cx < cropW; cx++) {
            int start = 0;
            boolean value = crop[cx];
            for (int end = ends[cropW + cx]; k < end; k++) {
                runs.add(value, ends[2 * cropW + k] - start);
                start = ends[2 * cropW + k];
                value = !value;
            }
            runs.add(value, cropH - start);
            runs.add(false, cx + 1 < cropW ? origH - cropH : (origW - x0 - cropW) * origH + origH - y0 - cropH);
        }
        return new Rle(origH, origW, runs.finish());
    }

    /**
     * The rows where each column of a row-major h x w mask changes value, found in two row-major
     * passes (so the transposed walk never strides through memory). Layout: [0, w) scratch counts,
     * [w, 2w) end offsets per column into the rows, [2w, ...) the rows, column by column, ascending.
     */
    private static int[] columnChanges(boolean[] m, int h, int w) {
        int[] count = new int[w];
        int total = 0;
        for (int y = 1; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                if (m[row + x] != m[row - w + x]) {
                    count[x]++;
                    total++;
                }
            }
        }
        int[] out = new int[2 * w + total];
        int offset = 0;
        for (int x = 0; x < w; x++) {
            int c = count[x];
            out[x] = offset;
            offset += c;
            out[w + x] = offset;
        }
        for (int y = 1; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                if (m[row + x] != m[row - w + x]) {
                    out[2 * w + out[x]++] = y;
                }
            }
        }
        return out;
    }

    /** Decodes to a row-major mask: the reference's {@code rle_to_mask}. */
    public BinaryMask toMask() {
        boolean[] d = new boolean[height * width];
        int idx = 0;
        boolean value = false;
        for (int c : counts) {
            if (value) {
                int x = idx / height;
                int y = idx % height;
                for (int k = 0; k < c; k++) {
                    d[y * width + x] = true;
                    if (++y == height) {
                        y = 0;
                        x++;
                    }
                }
            }
            idx += c;
            value = !value;
        }
        return new BinaryMask(height, width, d);
    }

    /** Number of true pixels: the sum of every second run ({@code area_from_rle}). */
    public int area() {
        int a = 0;
        for (int i = 1; i < counts.length; i += 2) {
            a += counts[i];
        }
        return a;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** The run lengths themselves (not a copy). */
    public int[] counts() {
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "{\"size\": [" + height + ", " + width + "], \"counts\": " + Arrays.toString(counts) + "}";
    }

    /** Accumulates pixels into alternating runs, starting with a false run. */
    private static final class RunWriter {
        private int[] out = new int[16];
        private int n;
        private boolean current;
        private int run;

        void add(boolean value, int length) {
            if (length == 0) {
                return;
            }
            if (value != current) {
                push(run);
                current = value;
                run = 0;
            }
            run += length;
        }

        int[] finish() {
            push(run);
            return Arrays.copyOf(out, n);
        }

        private void push(int v) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = v;
        }
    }
}
