package dev.jsam.kernels.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter lists of a PTX module's kernels, read from the PTX text: one tag per parameter,
 * "u64" (pointer or 64-bit integer), "u32" (int), "f32" (float) or "b8[N]" (a struct of N
 * bytes). {@link CudaContext} checks every launch's {@link KernelArgs} against them, so a Java
 * call site that disagrees with its kernel fails with both lists instead of reading garbage.
 */
final class PtxSignature {
    private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+(?:\\.align\\s+\\d+\\s+)?\\.(\\w+)\\s+\\w+(\\[\\d+])?");

    private PtxSignature() {
    }

    /** Entry point name to its parameter tags, for every kernel in the PTX. */
    static Map<String, List<String>> parse(String ptx) {
        Map<String, List<String>> out = new HashMap<>();
        Matcher e = ENTRY.matcher(ptx);
        while (e.find()) {
            List<String> tags = new ArrayList<>();
            Matcher p = PARAM.matcher(e.group(2));
            while (p.find()) {
                tags.add(p.group(2) == null ? p.group(1) : p.group(1) + p.group(2));
            }
            out.put(e.group(1), List.copyOf(tags));
        }
        return out;
    }
}
