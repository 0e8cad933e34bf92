package dev.jsam.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The shapes of a concatenation: checked once here for every backend (same rank and dtype, equal
 * dims but the one joined), with the joined dim (normalised) and the result's shape.
 * Immutable, thread-safe.
 */
public record ConcatShape(int dim, int[] outShape) {

    public static ConcatShape of(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat of no tensors");
        }
        Tensor first = parts.get(0);
        int d = first.layout().axis(dim);
        int[] shape = first.shape();
        int total = 0;
        for (Tensor t : parts) {
            int[] s = t.shape();
            if (s.length != shape.length || t.dtype() != first.dtype()) {
                throw new IllegalArgumentException("concat: " + t + " does not match " + first);
            }
            for (int i = 0; i < s.length; i++) {
                if (i != d && s[i] != shape[i]) {
                    throw new IllegalArgumentException("concat along " + dim + ": " + Arrays.toString(s) + " vs "
                            + Arrays.toString(shape));
                }
            }
            total += s[d];
        }
        shape[d] = total;
        return new ConcatShape(d, shape);
    }
}
