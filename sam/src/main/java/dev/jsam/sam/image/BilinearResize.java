package dev.jsam.sam.image;

import java.util.Arrays;

/**
 * Resizes an {@link RgbImage} exactly as Pillow 9.x's {@code Image.resize(size, BILINEAR)} does on
 * an RGB image, byte for byte: a separable triangle filter whose support widens with the downscale
 * factor (antialiasing), weights normalised per output pixel in double and rounded to 22-bit fixed
 * point, a horizontal pass over only the source rows the vertical pass reads, stored as 8-bit,
 * then a vertical pass. Written from a reading of Pillow's Resample.c; other filters are not here.
 * Stateless static methods: thread-safe.
 */
public final class BilinearResize {

    /** Fractional bits of the fixed-point weights (32 bits minus 8 for the sample, 2 for overflow). */
    private static final int PRECISION_BITS = 22;

    private BilinearResize() {
    }

    /** {@code source} resized to {@code width} x {@code height}. */
    public static RgbImage resize(RgbImage source, int width, int height) {
        RgbImage.checkSize(width, height);
        int inW = source.width();
        int inH = source.height();
        if (width == inW && height == inH) {
            return source;
        }
        Taps vertical = Taps.of(inH, height);
        byte[] rows;
        int firstRow;
        if (width != inW) {
            firstRow = vertical.start[0];
            int lastRow = vertical.start[height - 1] + vertical.count[height - 1];
            rows = horizontal(source.bytes(), inW, firstRow, lastRow - firstRow, Taps.of(inW, width));
        } else {
            firstRow = 0;
            rows = source.bytes();
        }
        if (height == inH) {
            return RgbImage.wrap(width, height, rows);
        }
        return RgbImage.wrap(width, height, vertical(rows, width * 3, firstRow, vertical));
    }

    /** Resamples {@code rowCount} rows from {@code firstRow} along x; returns them 8-bit. */
    private static byte[] horizontal(byte[] in, int inW, int firstRow, int rowCount, Taps taps) {
        int outW = taps.start.length;
        byte[] out = new byte[rowCount * outW * 3];
        int half = 1 << (PRECISION_BITS - 1);
        for (int r = 0; r < rowCount; r++) {
            int rowBase = (firstRow + r) * inW * 3;
            int o = r * outW * 3;
            for (int x = 0; x < outW; x++, o += 3) {
                int p = rowBase + taps.start[x] * 3;
                int w = x * taps.stride;
                int red = half;
                int green = half;
                int blue = half;
                for (int t = 0, n = taps.count[x]; t < n; t++, p += 3) {
                    int k = taps.weights[w + t];
                    red += (in[p] & 0xFF) * k;
                    green += (in[p + 1] & 0xFF) * k;
                    blue += (in[p + 2] & 0xFF) * k;
                }
                out[o] = clip(red);
                out[o + 1] = clip(green);
                out[o + 2] = clip(blue);
            }
        }
        return out;
    }

    /** Resamples along y; {@code rows} holds source rows from {@code firstRow} on. */
    private static byte[] vertical(byte[] rows, int rowLength, int firstRow, Taps taps) {
        int outH = taps.start.length;
        byte[] out = new byte[outH * rowLength];
        int[] acc = new int[rowLength];
        int half = 1 << (PRECISION_BITS - 1);
        for (int y = 0; y < outH; y++) {
            Arrays.fill(acc, half);
            int w = y * taps.stride;
            int base = (taps.start[y] - firstRow) * rowLength;
            for (int t = 0, n = taps.count[y]; t < n; t++, base += rowLength) {
                int k = taps.weights[w + t];
                for (int i = 0; i < rowLength; i++) {
                    acc[i] += (rows[base + i] & 0xFF) * k;
                }
            }
            int o = y * rowLength;
            for (int i = 0; i < rowLength; i++) {
                out[o + i] = clip(acc[i]);
            }
        }
        return out;
    }

    private static byte clip(int fixed) {
        int v = fixed >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** Per output position: the first source index, how many follow, and their fixed-point weights. */
    private record Taps(int[] start, int[] count, int[] weights, int stride) {

        static Taps of(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale; // the triangle reaches 1 source pixel, widened when shrinking
            int stride = (int) Math.ceil(support) * 2 + 1;
            int[] start = new int[outSize];
            int[] count = new int[outSize];
            int[] weights = new int[outSize * stride];
            double[] w = new double[stride];
            double inverse = 1.0 / filterScale;
            for (int o = 0; o < outSize; o++) {
                double center = (o + 0.5) * scale;
                int lo = Math.max((int) (center - support + 0.5), 0);
                int n = Math.min((int) (center + support + 0.5), inSize) - lo;
                double sum = 0.0;
                for (int t = 0; t < n; t++) {
                    w[t] = triangle((t + lo - center + 0.5) * inverse);
                    sum += w[t];
                }
                for (int t = 0; t < n; t++) {
                    double normalised = sum != 0.0 ? w[t] / sum : w[t];
                    weights[o * stride + t] = toFixed(normalised);
                }
                start[o] = lo;
                count[o] = n;
            }
            return new Taps(start, count, weights, stride);
        }

        private static double triangle(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }

        private static int toFixed(double weight) {
            double scaled = weight * (1 << PRECISION_BITS);
            return (int) (weight < 0 ? scaled - 0.5 : scaled + 0.5);
        }
    }
}
