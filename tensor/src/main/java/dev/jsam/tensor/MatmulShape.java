package dev.jsam.tensor;

import java.util.Arrays;

/**
 * The shapes of a batched matmul (..., M, K) @ (..., K, N): checked once here for every backend,
 * with the broadcast batch dims and the shapes each operand and the result take after
 * broadcasting. Not a kernel: backends read the operands through these shapes.
 * Immutable, thread-safe.
 */
public record MatmulShape(int m, int k, int n, int[] batch) {

    /** Checks the operands (rank >= 2, inner dims equal, batch dims broadcastable). */
    public static MatmulShape of(Tensor a, Tensor b) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul needs rank >= 2 operands, got " + a + " @ " + b);
        }
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        if (b.dim(-2) != k) {
            throw new IllegalArgumentException("matmul inner dims differ: " + Arrays.toString(a.shape()) + " @ "
                    + Arrays.toString(b.shape()));
        }
        int[] batch = Layout.broadcastShapes(Arrays.copyOf(a.shape(), a.rank() - 2), Arrays.copyOf(b.shape(), b.rank() - 2));
        return new MatmulShape(m, k, n, batch);
    }

    public MatmulShape {
        batch = batch.clone();
    }

    @Override
    public int[] batch() {
        return batch.clone();
    }

    /** Number of matrices in the batch. */
    public int batches() {
        return Math.toIntExact(Layout.numel(batch));
    }

    /** (batch..., M, K): the shape a is expanded to. */
    public int[] aShape() {
        return withTail(m, k);
    }

    /** (batch..., K, N): the shape b is expanded to. */
    public int[] bShape() {
        return withTail(k, n);
    }

    /** (batch..., M, N): the result's shape. */
    public int[] outShape() {
        return withTail(m, n);
    }

    private int[] withTail(int x, int y) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = x;
        s[batch.length + 1] = y;
        return s;
    }
}
