package dev.jsam.tensor;

/** Reductions along one dim of an F32 tensor. */
public enum ReduceOp {
    SUM, MEAN, MAX
}
