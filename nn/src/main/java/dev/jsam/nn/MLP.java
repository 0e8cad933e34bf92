package dev.jsam.nn;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;

/**
 * The MLP of SAM's mask decoder (modeling/mask_decoder.py): numLayers Linear layers with ReLU
 * between them, optionally a sigmoid on the output. Keys: layers.0 .. layers.(n-1).
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class MLP {
    private final Linear[] layers;
    private final boolean sigmoidOutput;

    public MLP(Weights w, int inputDim, int hiddenDim, int outputDim, int numLayers, boolean sigmoidOutput) {
        this.layers = new Linear[numLayers];
        for (int i = 0; i < numLayers; i++) {
            int in = i == 0 ? inputDim : hiddenDim;
            int out = i == numLayers - 1 ? outputDim : hiddenDim;
            layers[i] = new Linear(w.sub("layers").sub(i), in, out, true);
        }
        this.sigmoidOutput = sigmoidOutput;
    }

    /** (..., in) -> (..., out). */
    public Tensor forward(Tensor x) {
        for (int i = 0; i < layers.length; i++) {
            x = layers[i].forward(x, i < layers.length - 1 ? Activation.RELU : Activation.NONE);
        }
        return sigmoidOutput ? x.sigmoid() : x;
    }
}
