package dev.jsam.tensor;

import java.util.Arrays;

/**
 * The shapes of constant padding as torch.nn.functional.pad takes it ((before, after) pairs from
 * the last dim backwards): checked once here for every backend, with the padded shape and the
 * window of the padded tensor where the input goes. Immutable, thread-safe.
 */
public record PadShape(int[] outShape, int[] before, int[] inShape) {

    public static PadShape of(int[] shape, int[] pads) {
        if (pads.length % 2 != 0 || pads.length / 2 > shape.length) {
            throw new IllegalArgumentException("pad wants (before, after) pairs for at most " + shape.length
                    + " dims, got " + Arrays.toString(pads));
        }
        int[] outShape = shape.clone();
        int[] before = new int[shape.length];
        for (int p = 0; p < pads.length / 2; p++) {
            int d = shape.length - 1 - p;
            if (pads[2 * p] < 0 || pads[2 * p + 1] < 0) {
                throw new IllegalArgumentException("negative padding " + Arrays.toString(pads));
            }
            before[d] = pads[2 * p];
            outShape[d] = shape[d] + pads[2 * p] + pads[2 * p + 1];
        }
        return new PadShape(outShape, before, shape.clone());
    }

    /** The view of the padded tensor out that the input fills. */
    public Tensor window(Tensor out) {
        Tensor w = out;
        for (int d = 0; d < inShape.length; d++) {
            w = w.narrow(d, before[d], inShape[d]);
        }
        return w;
    }
}
