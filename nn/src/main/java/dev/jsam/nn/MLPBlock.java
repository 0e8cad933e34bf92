package dev.jsam.nn;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;

/**
 * SAM's MLPBlock (modeling/common.py): lin2(act(lin1(x))), the activation fused into lin1.
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class MLPBlock {
    private final Linear lin1; // (mlp, C)
    private final Linear lin2; // (C, mlp)
    private final Activation act;

    public MLPBlock(Weights w, int embeddingDim, int mlpDim, Activation act) {
        this.lin1 = new Linear(w.sub("lin1"), embeddingDim, mlpDim, true);
        this.lin2 = new Linear(w.sub("lin2"), mlpDim, embeddingDim, true);
        this.act = act;
    }

    /** (..., C) -> (..., C). */
    public Tensor forward(Tensor x) {
        return lin2.forward(lin1.forward(x, act));
    }
}
