package dev.jsam.sam.amg;

import java.util.Arrays;

/**
 * COCO compressed RLE strings, byte for byte as pycocotools' {@code rleToString}/{@code rleFrString}
 * write and read them: each run (from the fourth on, minus the run two before it) is cut into 5-bit
 * groups, least significant first, each group a character 48 + bits, with 0x20 set while more groups
 * follow and 0x10 of the last group carrying the sign. The mask size travels beside the string.
 * Stateless static methods: thread-safe.
 */
public final class CocoRle {
    private CocoRle() {
    }

    /** The reference's {@code coco_encode_rle}: the counts string of an uncompressed RLE. */
    public static String encode(Rle rle) {
        int[] cnts = rle.counts();
        StringBuilder sb = new StringBuilder(cnts.length * 2);
        for (int i = 0; i < cnts.length; i++) {
            long x = cnts[i];
            if (i > 2) {
                x -= cnts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                sb.append((char) (c + 48));
            }
        }
        return sb.toString();
    }

    /**
     * Reads a counts string back into the uncompressed RLE of an h x w mask.
     *
     * @throws IllegalArgumentException if the string is malformed, a run is out of range, or the
     *                                  runs do not cover exactly h x w pixels
     */
    public static Rle decode(String s, int height, int width) {
        int[] cnts = new int[Math.max(4, s.length())];
        int m = 0;
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("COCO RLE string ends inside a run: " + s);
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("bad character '" + s.charAt(p) + "' in COCO RLE string");
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (m > 2) {
                x += cnts[m - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("COCO RLE run " + m + " is " + x + ", outside 0.." + Integer.MAX_VALUE);
            }
            cnts[m++] = (int) x;
        }
        return new Rle(height, width, Arrays.copyOf(cnts, m));
    }
}
