package dev.jsam.tensor;

/**
 * Reductions along one dim of an F32 tensor.
 * An enum: immutable, thread-safe.
 */
public enum ReduceOp {
    SUM, MEAN, MAX
}
