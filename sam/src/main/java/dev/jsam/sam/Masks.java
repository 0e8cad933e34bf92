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
     * The masks of one prompt's prediction from its IoU predictions (C) and low-res logits
     * (C, 256, 256) on the host, each upsampled to the image a strip at a time by the predictor
     * that made them: the result holds C x H x W bytes and the logits, nothing of image size more.
     */
    static Masks of(float[] iou, float[] lowRes, SamPredictor predictor) {
        int c = iou.length;
        int lowPerMask = lowRes.length / c;
        Mask[] out = new Mask[c];
        for (int k = 0; k < c; k++) {
            UpsampledMask up = predictor.upsampled(lowRes, k * lowPerMask);
            int h = up.height(), w = up.width(), strip = up.stripRows();
            boolean[] px = new boolean[h * w];
            byte[] bits = new byte[strip * w];
            for (int y0 = 0; y0 < h; y0 += strip) {
                int y1 = Math.min(h, y0 + strip);
                up.maskRows(y0, y1, bits);
                for (int i = 0, base = y0 * w; i < (y1 - y0) * w; i++) {
                    px[base + i] = bits[i] != 0;
                }
            }
            float[] logits = new float[lowPerMask];
            System.arraycopy(lowRes, k * lowPerMask, logits, 0, lowPerMask);
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
