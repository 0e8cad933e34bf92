package dev.jsam.sam.modeling;

import dev.jsam.nn.Weights;
import dev.jsam.sam.Golden;
import dev.jsam.sam.SamConfig;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each registry entry builds a model with exactly the reference's state_dict keys and shapes
 * (testdata/golden/sam_state_dict_shapes.json, and golden/variants/variant_state_dict_shapes.json
 * for MobileSAM and HQ-SAM, whose lists leave out batch norm's counters). Weights are shape-only
 * broadcasts, so vit_h costs no memory; and the configuration inferred from those shapes is the
 * registry's own.
 */
class RegistryTest {
    @ParameterizedTest
    @ValueSource(strings = {"vit_b", "vit_l", "vit_h", "vit_t", "hq_vit_b"})
    void keysAndShapesMatchReference(String type) {
        String file = type.equals("vit_t") || type.startsWith("hq_") ? "golden/variants/variant_state_dict_shapes.json"
                : "golden/sam_state_dict_shapes.json";
        @SuppressWarnings("unchecked")
        Map<String, Object> ref = (Map<String, Object>) Golden.json(file).get(type);
        Map<String, String> expected = new TreeMap<>();
        Map<String, int[]> expectedShapes = new TreeMap<>();
        for (Map.Entry<String, Object> e : ref.entrySet()) {
            int[] shape = ((List<?>) e.getValue()).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
            expected.put(e.getKey(), Arrays.toString(shape));
            expectedShapes.put(e.getKey(), shape);
        }
        try (CpuBackend be = CpuBackend.reference()) {
            Weights w = Weights.shapesOnly(be);
            new Sam(w, SamConfig.byName(type));
            Map<String, String> built = new TreeMap<>();
            w.requested().forEach((k, v) -> built.put(k, Arrays.toString(v)));
            assertEquals(expected, built);
        }
        SamConfig inferred = SamConfig.infer(expectedShapes);
        assertEquals(SamConfig.byName(type), inferred);
    }

    /** Every family and size round-trips: the shapes a registry entry builds infer that entry. */
    @ParameterizedTest
    @ValueSource(strings = {"vit_b", "vit_l", "vit_h", "vit_t", "hq_vit_b", "hq_vit_l", "hq_vit_h", "hq_vit_t"})
    void theShapesOfEachEntryInferIt(String type) {
        assertEquals(SamConfig.byName(type), SamConfig.infer(recordedShapes(SamConfig.byName(type))));
    }

    static Map<String, int[]> recordedShapes(SamConfig config) {
        try (CpuBackend be = CpuBackend.reference()) {
            Weights w = Weights.shapesOnly(be);
            new Sam(w, config);
            return w.requested();
        }
    }

    @org.junit.jupiter.api.Test
    void defaultIsVitH() {
        assertEquals(SamConfig.vitH(), SamConfig.byName("default"));
    }
}
