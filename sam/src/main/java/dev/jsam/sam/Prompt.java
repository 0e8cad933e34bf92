package dev.jsam.sam;

import java.util.Arrays;

/**
 * What to ask about the image a {@link SamPredictor} holds, in pixels of the original image:
 * points, each foreground or background, at most one box, optionally a mask input (the low-res
 * logits of an earlier {@link Mask}, to refine it), and whether to return three candidate masks
 * (the default, as the reference advises for a single point) or one. Built from
 * {@link #point} or {@link #box}, then {@code with...}: every step returns a new prompt.
 *
 * <p>Coordinates are checked once, when given: they must be finite and within
 * +-{@value #MAX_COORDINATE} (points outside the image are accepted, as the reference accepts
 * them; 1e39 would pass a finiteness check and turn infinite as the model's float32). Immutable,
 * thread-safe.
 */
public final class Prompt {
    /** The largest coordinate magnitude accepted, far beyond any image jsam reads. */
    public static final double MAX_COORDINATE = 1e6;

    private final double[] points;
    private final int[] labels;
    private final double[] box;
    private final float[] maskInput;
    private final boolean multimask;

    private Prompt(double[] points, int[] labels, double[] box, float[] maskInput, boolean multimask) {
        this.points = points;
        this.labels = labels;
        this.box = box;
        this.maskInput = maskInput;
        this.multimask = multimask;
    }

    /** A foreground point at (x, y). */
    public static Prompt point(double x, double y) {
        return new Prompt(new double[0], new int[0], null, null, true).withPoint(x, y);
    }

    /** A box from (x0, y0) to (x1, y1), with {@code x0 <= x1} and {@code y0 <= y1}. */
    public static Prompt box(double x0, double y0, double x1, double y1) {
        return new Prompt(new double[0], new int[0], null, null, true).withBox(x0, y0, x1, y1);
    }

    /** This prompt with one more foreground point (label 1). */
    public Prompt withPoint(double x, double y) {
        return addPoint(x, y, 1);
    }

    /** This prompt with one more background point (label 0): "not this". */
    public Prompt withNegativePoint(double x, double y) {
        return addPoint(x, y, 0);
    }

    private Prompt addPoint(double x, double y, int label) {
        double[] xy = {x, y};
        checkCoordinates("point", xy);
        double[] p = Arrays.copyOf(points, points.length + 2);
        p[points.length] = x;
        p[points.length + 1] = y;
        int[] l = Arrays.copyOf(labels, labels.length + 1);
        l[labels.length] = label;
        return new Prompt(p, l, box, maskInput, multimask);
    }

    /** This prompt with the box from (x0, y0) to (x1, y1) in place of any earlier one. */
    public Prompt withBox(double x0, double y0, double x1, double y1) {
        double[] b = {x0, y0, x1, y1};
        checkCoordinates("box", b);
        if (x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("a box needs x0 <= x1 and y0 <= y1, got " + Arrays.toString(b));
        }
        return new Prompt(points, labels, b, maskInput, multimask);
    }

    /**
     * This prompt with a mask input: low-res logits, side x side row-major (256 x 256 for SAM),
     * such as {@link Mask#lowResLogits()} of an earlier result. Copied; must be finite.
     */
    public Prompt withMaskInput(float[] lowResLogits) {
        int side = (int) Math.round(Math.sqrt(lowResLogits.length));
        if (side == 0 || side * side != lowResLogits.length) {
            throw new IllegalArgumentException("a mask input is a square of low-res logits (256 x 256 = 65536 values),"
                    + " got " + lowResLogits.length + " values");
        }
        for (int i = 0; i < lowResLogits.length; i++) {
            if (!Float.isFinite(lowResLogits[i])) {
                throw new IllegalArgumentException("mask input value " + i + " is " + lowResLogits[i] + ": logits must be finite");
            }
        }
        return new Prompt(points, labels, box, lowResLogits.clone(), multimask);
    }

    /** This prompt asking for one mask instead of three candidates (for prompts that are not ambiguous). */
    public Prompt singleMask() {
        return new Prompt(points, labels, box, maskInput, false);
    }

    /** Point coordinates x0, y0, x1, y1 ... (a copy; empty without points). */
    public double[] pointCoords() {
        return points.clone();
    }

    /** One label per point: 1 foreground, 0 background (a copy). */
    public int[] pointLabels() {
        return labels.clone();
    }

    /** The box x0, y0, x1, y1, or null (a copy). */
    public double[] box() {
        return box == null ? null : box.clone();
    }

    /** The mask input's low-res logits, or null (a copy). */
    public float[] maskInput() {
        return maskInput == null ? null : maskInput.clone();
    }

    /** Whether three candidate masks are asked for (the default) rather than one. */
    public boolean multimask() {
        return multimask;
    }

    /**
     * Refuses coordinates that are not finite or beyond {@link #MAX_COORDINATE}, naming which one;
     * every prompt coordinate the predictor takes goes through here.
     */
    static void checkCoordinates(String what, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!(Math.abs(v[i]) <= MAX_COORDINATE)) {
                throw new IllegalArgumentException(what + " coordinate " + i + " is " + v[i]
                        + ": coordinates must be finite and within +-" + MAX_COORDINATE);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt p && Arrays.equals(points, p.points) && Arrays.equals(labels, p.labels)
                && Arrays.equals(box, p.box) && Arrays.equals(maskInput, p.maskInput) && multimask == p.multimask;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {Arrays.hashCode(points), Arrays.hashCode(labels), Arrays.hashCode(box),
                Arrays.hashCode(maskInput), Boolean.hashCode(multimask)});
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Prompt[");
        for (int i = 0; i < labels.length; i++) {
            s.append(labels[i] == 1 ? "point " : "negative point ").append(points[2 * i]).append(',')
                    .append(points[2 * i + 1]).append("; ");
        }
        if (box != null) {
            s.append("box ").append(Arrays.toString(box)).append("; ");
        }
        if (maskInput != null) {
            s.append("mask input; ");
        }
        return s.append(multimask ? "multimask]" : "single mask]").toString();
    }
}
