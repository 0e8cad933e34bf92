package dev.jsam.sam;

import dev.jsam.sam.amg.BinaryMask;

import java.util.AbstractList;
import java.util.List;

/**
 * The answer to one {@link Prompt}: three candidate masks (or one with {@link Prompt#singleMask()}),
 * in the model's order, each with its score. {@link #best()} is the one the model rates highest.
 * Immutable, thread-safe; an unmodifiable list of {@link Mask}s.
 */
public final class Masks extends AbstractList<Mask> {
    private final List<Mask> masks;

    private Masks(List<Mask> masks) {
        this.masks = masks;
    }

    /**
     * The masks of one prompt's prediction: binary masks (C, H, W), IoU predictions (C) and low-res
     * logits (C, 256, 256), copied off the backend.
     */
    static Masks of(SamPredictor.Prediction p) {
        int c = p.masks().dim(0);
        int h = p.masks().dim(1);
        int w = p.masks().dim(2);
        byte[] bits = p.masks().contiguous().toByteArray();
        float[] iou = p.iouPredictions().toFloatArray();
        float[] low = p.lowResLogits().contiguous().toFloatArray();
        int lowPerMask = low.length / c;
        Mask[] out = new Mask[c];
        for (int k = 0; k < c; k++) {
            boolean[] px = new boolean[h * w];
            for (int i = 0; i < px.length; i++) {
                px[i] = bits[k * px.length + i] != 0;
            }
            float[] logits = new float[lowPerMask];
            System.arraycopy(low, k * lowPerMask, logits, 0, lowPerMask);
            out[k] = new Mask(new BinaryMask(h, w, px), iou[k], logits);
        }
        return new Masks(List.of(out));
    }

    /** The mask with the highest score (the first of equals). */
    public Mask best() {
        Mask best = masks.getFirst();
        for (Mask m : masks) {
            if (m.score() > best.score()) {
                best = m;
            }
        }
        return best;
    }

    @Override
    public Mask get(int index) {
        return masks.get(index);
    }

    @Override
    public int size() {
        return masks.size();
    }
}
