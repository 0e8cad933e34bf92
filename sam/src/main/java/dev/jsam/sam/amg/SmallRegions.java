package dev.jsam.sam.amg;

/**
 * The reference's {@code remove_small_regions}: fills holes (false components) or removes islands
 * (true components) smaller than an area threshold, found by 8-connected labelling of the mask
 * (holes: of its complement). As the reference, for holes the background label (the mask itself) is
 * always kept, and if every island is small the largest (the first such label on ties) is kept.
 * Stateless static methods: thread-safe.
 */
public final class SmallRegions {
    /** Which regions to remove. */
    public enum Mode { HOLES, ISLANDS }

    /** The resulting mask and whether it differs in kind from the input (the reference's flag). */
    public record Result(BinaryMask mask, boolean changed) {
    }

    private SmallRegions() {
    }

    /** Removes regions whose area is strictly below {@code areaThresh}. */
    public static Result remove(BinaryMask mask, double areaThresh, Mode mode) {
        boolean holes = mode == Mode.HOLES;
        boolean[] src = mask.data();
        boolean[] working = new boolean[src.length];
        for (int i = 0; i < src.length; i++) {
            working[i] = holes ^ src[i];
        }
        ConnectedComponents cc = ConnectedComponents.label(new BinaryMask(mask.height(), mask.width(), working));
        int n = cc.count();
        boolean[] small = new boolean[n];
        boolean anySmall = false;
        for (int l = 1; l < n; l++) {
            if (cc.area(l) < areaThresh) {
                small[l] = true;
                anySmall = true;
            }
        }
        if (!anySmall) {
            return new Result(mask, false);
        }
        boolean[] fill = new boolean[n];
        if (holes) {
            fill[0] = true;
            System.arraycopy(small, 1, fill, 1, n - 1);
        } else {
            boolean anyKept = false;
            for (int l = 1; l < n; l++) {
                fill[l] = !small[l];
                anyKept |= fill[l];
            }
            if (!anyKept) {
                fill[largest(cc)] = true;
            }
        }
        int[] labels = cc.labels();
        boolean[] out = new boolean[src.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = fill[labels[i]];
        }
        return new Result(new BinaryMask(mask.height(), mask.width(), out), true);
    }

    private static int largest(ConnectedComponents cc) {
        int best = 1;
        for (int l = 2; l < cc.count(); l++) {
            if (cc.area(l) > cc.area(best)) {
                best = l;
            }
        }
        return best;
    }
}
