package dev.jsam.serve;

import dev.jsam.sam.amg.AmgParams;
import dev.jsam.tensor.io.Json;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The optional body of a "segment everything" request: the server's defaults (the reference's,
 * unless `sam serve` was told otherwise) with any of pointsPerSide (1..64), predIouThresh,
 * stabilityScoreThresh or minMaskRegionArea (0..1e6) replaced. Each mistake is a 400 naming the field.
 */
final class AmgRequest {
    private AmgRequest() {
    }

    static AmgParams parse(byte[] body, AmgParams defaults) {
        AmgParams p = defaults;
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return p;
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new ApiException(400, "the body must be a JSON object (or empty for the server's defaults)");
        }
        for (Object k : m.keySet()) {
            switch ((String) k) {
                case "pointsPerSide" -> p = p.withPointsPerSide((int) number(m, k, 1, 64, true));
                case "predIouThresh" -> p = p.withThresholds(number(m, k, -100, 100, false), p.stabilityScoreThresh());
                case "stabilityScoreThresh" -> p = p.withThresholds(p.predIouThresh(), number(m, k, -100, 100, false));
                case "minMaskRegionArea" -> p = p.withMinMaskRegionArea((int) number(m, k, 0, 1_000_000, true));
                default -> throw new ApiException(400, "unknown field \"" + k + "\" (known: pointsPerSide, "
                        + "predIouThresh, stabilityScoreThresh, minMaskRegionArea)");
            }
        }
        return p;
    }

    private static double number(Map<?, ?> m, Object key, double min, double max, boolean integer) {
        Object v = m.get(key);
        if (!(v instanceof Number n) || (integer && !(v instanceof Long)) || n.doubleValue() < min
                || n.doubleValue() > max) {
            throw new ApiException(400, key + " must be " + (integer ? "an integer" : "a number") + " in "
                    + (integer ? (long) min + ".." + (long) max : min + ".." + max));
        }
        return n.doubleValue();
    }
}
