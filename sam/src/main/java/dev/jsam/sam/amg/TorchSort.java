package dev.jsam.sam.amg;

import java.util.Arrays;

/**
 * The permutation that the reference's {@code Tensor.sort(descending=True)} gives a float32 score
 * vector, as torchvision's nms uses it: descending, NaN first, and ties kept in index order. The tie
 * order is taken from the golden outputs (PyTorch 1.13.1 on CPU), where hundreds of equal scores
 * (the cross-crop NMS gives every mask of a crop the same score) come out in their input order.
 */
public final class TorchSort {
    private TorchSort() {
    }

    /** Indices of {@code values} sorted by descending value (NaN first), ties by ascending index. */
    public static int[] argsortDescending(float[] values) {
        long[] keys = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            keys[i] = ((long) rank(values[i]) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * A signed int that orders descending floats ascending: NaN lowest, then +inf .. -inf, with
     * -0.0 and 0.0 equal as the float comparison has them.
     */
    private static int rank(float v) {
        if (Float.isNaN(v)) {
            return Integer.MIN_VALUE;
        }
        int bits = Float.floatToIntBits(v == 0f ? 0f : v);
        int ascending = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return -ascending;
    }
}
