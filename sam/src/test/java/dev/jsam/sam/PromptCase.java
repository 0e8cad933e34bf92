package dev.jsam.sam;

import dev.jsam.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** One prompt of a golden *_cases.json file, parsed from its JSON object. */
public record PromptCase(String name, double[] pointCoords, int[] pointLabels, double[] box, String maskInputFrom,
                         boolean multimaskOutput, boolean returnLogits) {

    static PromptCase parse(Object json) {
        Map<?, ?> m = (Map<?, ?>) json;
        double[] coords = null;
        int[] labels = null;
        if (m.containsKey("point_coords")) {
            coords = ((List<?>) m.get("point_coords")).stream().flatMap(p -> ((List<?>) p).stream())
                    .mapToDouble(v -> ((Number) v).doubleValue()).toArray();
            labels = ((List<?>) m.get("point_labels")).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        }
        double[] box = m.containsKey("box")
                ? ((List<?>) m.get("box")).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray() : null;
        return new PromptCase((String) m.get("name"), coords, labels, box, (String) m.get("mask_input_from"),
                Boolean.TRUE.equals(m.get("multimask_output")), Boolean.TRUE.equals(m.get("return_logits")));
    }

    /** A U8 0/1 mask tensor as booleans, row-major. */
    static boolean[] bits(Tensor masks) {
        byte[] b = masks.toByteArray();
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] != 0;
        }
        return out;
    }
}
