package dev.jsam.nn;

import dev.jsam.tensor.Tensor;

/**
 * torch.nn.Embedding: a (num, dim) table of learned vectors, read by row.
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class Embedding {
    private final Tensor weight; // (num, dim)

    public Embedding(Weights w, int num, int dim) {
        this.weight = w.get("weight", num, dim);
    }

    /** The whole table, (num, dim). */
    public Tensor weight() {
        return weight;
    }

    /** Row i as (dim). */
    public Tensor row(int i) {
        return weight.select(0, i);
    }
}
