package dev.jsam.serve;

import dev.jsam.tensor.io.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of a predict request, checked field by field so that each mistake gets a 400 naming it:
 * points [[x, y], ...] with labels (1 foreground, 0 background), a box [x0, y0, x1, y1], a mask
 * input (base64 float32 low-res logits of an earlier answer), multimask (default true),
 * lowResLogits (default false: whether to send each mask's logits back) and hqTokenOnly (default
 * false: HQ-SAM's HQ mask alone). Coordinates are in pixels.
 */
record PromptRequest(double[] points, int[] labels, double[] box, float[] maskInput, boolean multimask,
                     boolean lowResLogits, boolean hqTokenOnly) {
    static final int MAX_POINTS = 64;
    private static final Set<String> FIELDS = Set.of("points", "labels", "box", "maskInput", "multimask", "lowResLogits",
            "hqTokenOnly");

    static PromptRequest parse(byte[] body, int lowResSide) {
        Object root;
        try {
            root = Json.parse(new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new ApiException(400, "the body must be a JSON object");
        }
        for (Object k : m.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new ApiException(400, "unknown field \"" + k + "\" (known: points, labels, box, maskInput, "
                        + "multimask, lowResLogits, hqTokenOnly)");
            }
        }
        double[] points = points(m.get("points"));
        int[] labels = labels(m.get("labels"));
        if ((points == null) != (labels == null) || points != null && points.length != 2 * labels.length) {
            throw new ApiException(400, "points and labels must come together, one label per point");
        }
        double[] box = box(m.get("box"));
        if (points == null && box == null) {
            throw new ApiException(400, "a prompt needs at least one point or a box");
        }
        Object mask = m.get("maskInput");
        if (mask != null && !(mask instanceof String)) {
            throw new ApiException(400, "maskInput must be a base64 string");
        }
        float[] maskInput = mask == null ? null
                : MaskCodec.base64ToFloats((String) mask, lowResSide * lowResSide, "maskInput");
        return new PromptRequest(points, labels, box, maskInput, flag(m, "multimask", true), flag(m, "lowResLogits", false),
                flag(m, "hqTokenOnly", false));
    }

    private static double[] points(Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list) || list.isEmpty() || list.size() > MAX_POINTS) {
            throw new ApiException(400, "points must be a list of 1 to " + MAX_POINTS + " [x, y] pairs");
        }
        double[] out = new double[2 * list.size()];
        for (int i = 0; i < list.size(); i++) {
            double[] p = numbers(list.get(i), 2, "points[" + i + "]");
            out[2 * i] = p[0];
            out[2 * i + 1] = p[1];
        }
        return out;
    }

    private static int[] labels(Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> list)) {
            throw new ApiException(400, "labels must be a list of 1 (foreground) and 0 (background)");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || (l != 0 && l != 1)) {
                throw new ApiException(400, "labels[" + i + "] must be 1 (foreground) or 0 (background)");
            }
            out[i] = l.intValue();
        }
        return out;
    }

    private static double[] box(Object v) {
        if (v == null) {
            return null;
        }
        double[] b = numbers(v, 4, "box");
        if (b[2] < b[0] || b[3] < b[1]) {
            throw new ApiException(400, "box must be [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1");
        }
        return b;
    }

    private static double[] numbers(Object v, int n, String what) {
        if (!(v instanceof List<?> list) || list.size() != n) {
            throw new ApiException(400, what + " must be a list of " + n + " numbers");
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(list.get(i) instanceof Number num) || !Double.isFinite(num.doubleValue())
                    || Math.abs(num.doubleValue()) > 1e7) {
                throw new ApiException(400, what + " must hold finite numbers of at most 1e7 in size");
            }
            out[i] = num.doubleValue();
        }
        return out;
    }

    private static boolean flag(Map<?, ?> m, String name, boolean dflt) {
        Object v = m.get(name);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Boolean b)) {
            throw new ApiException(400, name + " must be true or false");
        }
        return b;
    }
}
