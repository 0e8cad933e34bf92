package dev.jsam.convert;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the state_dict in an unpickled checkpoint: the top-level dict when it holds tensors,
 * else the first of the usual keys (state_dict, model, ...) whose value holds tensors, else the
 * top level's nested dicts. Nested dicts are flattened with '.' between names; values that are
 * not tensors (epochs, config strings) are listed as skipped, not converted.
 */
record StateDict(String source, Map<String, TensorRef> tensors, List<String> skipped) {
    static final List<String> PREFERRED_KEYS =
            List.of("state_dict", "model", "model_state_dict", "module", "net", "weights", "params");

    static StateDict find(Object root) throws CheckpointException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new CheckpointException("the checkpoint holds " + TorchGlobals.describe(root) + ", not a dict of tensors");
        }
        if (top.values().stream().anyMatch(v -> v instanceof TensorRef)) {
            return flatten("top level", top);
        }
        for (String key : PREFERRED_KEYS) {
            if (top.get(key) instanceof Map<?, ?> inner) {
                StateDict sd = flatten("checkpoint['" + key + "']", inner);
                if (!sd.tensors().isEmpty()) {
                    return sd;
                }
            }
        }
        StateDict sd = flatten("top level (nested)", top);
        if (sd.tensors().isEmpty()) {
            throw new CheckpointException("no tensors found: the top-level keys are " + top.keySet()
                    + " and none of them holds a state_dict");
        }
        return sd;
    }

    private static StateDict flatten(String source, Map<?, ?> map) throws CheckpointException {
        Map<String, TensorRef> tensors = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        walk("", map, tensors, skipped, 0);
        return new StateDict(source, tensors, skipped);
    }

    private static void walk(String prefix, Map<?, ?> map, Map<String, TensorRef> tensors, List<String> skipped,
                             int depth) throws CheckpointException {
        if (depth > 64) {
            throw new CheckpointException("dicts nested deeper than 64 levels at " + prefix);
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = switch (e.getKey()) {
                case String s -> s;
                case Long l -> l.toString();
                default -> throw new CheckpointException("dict key " + TorchGlobals.describe(e.getKey())
                        + " under '" + prefix + "' is not a string");
            };
            String name = prefix + key;
            switch (e.getValue()) {
                case TensorRef t -> {
                    if (tensors.put(name, t) != null) {
                        throw new CheckpointException("two tensors flatten to the same name " + name);
                    }
                }
                case Map<?, ?> inner -> walk(name + ".", inner, tensors, skipped, depth + 1);
                case null -> skipped.add(name + " (None)");
                default -> skipped.add(name + " (" + e.getValue().getClass().getSimpleName() + ")");
            }
        }
    }
}
