package dev.jsam.cli;

import dev.jsam.sam.amg.Rle;

/**
 * Rows of a mask kept as run-length encoding (pycocotools' order: runs over the pixels column by
 * column, alternating 0 and 1, starting with 0), read a strip at a time without decoding the mask
 * whole: each column's part of the strip is found by a binary search over the runs' starts. Holds
 * one int per run. Immutable, thread-safe.
 */
final class RleRows {
    private final int height;
    private final int width;
    /** Where each run starts, in column-major pixel order; runs with odd index are inside. */
    private final int[] starts;

    RleRows(Rle rle) {
        this.height = rle.height();
        this.width = rle.width();
        int[] counts = rle.counts();
        this.starts = new int[counts.length];
        for (int i = 1; i < counts.length; i++) {
            starts[i] = starts[i - 1] + counts[i - 1];
        }
    }

    /** Rows [y0, y1), row-major, into dst: {@code on} inside the mask, 0 outside. */
    void read(int y0, int y1, byte[] dst, byte on) {
        for (int x = 0; x < width; x++) {
            int from = x * height + y0, to = x * height + y1;
            int run = runAt(from);
            for (int i = from; i < to; run++) {
                int end = run + 1 < starts.length ? Math.min(to, starts[run + 1]) : to;
                byte v = (run & 1) == 1 ? on : 0;
                for (; i < end; i++) {
                    dst[(i - x * height - y0) * width + x] = v;
                }
            }
        }
    }

    /** The index of the run holding column-major pixel i: the last run starting at or before it. */
    private int runAt(int i) {
        int lo = 0, hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= i) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
