package dev.jsam.tensor;

/**
 * A contiguous shape seen as (outer, n, inner) around one dim: the view reductions and argmax
 * work on, and the shape they leave. Element (o, k, i) sits at (o * n + k) * inner + i.
 * Immutable, thread-safe.
 */
public record DimSplit(int outer, int n, int inner) {

    /** Splits shape around dim d (already normalised). */
    public static DimSplit of(int[] shape, int d) {
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < d; i++) {
            outer = Math.multiplyExact(outer, shape[i]);
        }
        for (int i = d + 1; i < shape.length; i++) {
            inner = Math.multiplyExact(inner, shape[i]);
        }
        return new DimSplit(outer, shape[d], inner);
    }

    /** The shape after reducing dim d: removed, or kept as size 1. */
    public static int[] reducedShape(int[] shape, int d, boolean keepDim) {
        int[] out = new int[keepDim ? shape.length : shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != d) {
                out[j++] = shape[i];
            } else if (keepDim) {
                out[j++] = 1;
            }
        }
        return out;
    }
}
