package dev.jsam.kernels.cuda;

import dev.jsam.kernels.KernelModule;
import dev.jsam.tensor.Activation;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed PTX's kernel signatures against what the Java side packs (no GPU needed):
 * every catalogue entry point parses, the by-value structs have the sizes Geometry and
 * GemmCall produce, and KernelArgs tags match PTX's for a representative launch.
 */
class PtxSignatureTest {
    private static final String GEOMETRY = "b8[" + Geometry.WORDS * Long.BYTES + "]";

    private static Map<String, List<String>> all() {
        Map<String, List<String>> m = new HashMap<>();
        for (KernelModule k : KernelModule.values()) {
            m.putAll(PtxSignature.parse(k.ptx()));
        }
        return m;
    }

    @Test
    void everyCatalogueEntryHasASignature() {
        Map<String, List<String>> sigs = all();
        for (KernelModule k : KernelModule.values()) {
            for (String entry : k.entryPoints()) {
                assertTrue(sigs.containsKey(entry) && !sigs.get(entry).isEmpty(), entry);
            }
        }
    }

    @Test
    void structsHaveTheSizesJavaPacks() {
        Map<String, List<String>> sigs = all();
        String gemmArgs = "b8[" + new GemmCall(null, 0, 0, null, 0, 0, 0, 0, 0, new int[0], new long[0], new long[0], null, 0,
                Activation.NONE).argsStruct().length * Long.BYTES + "]";
        assertEquals(List.of("u64", "u64", "u64", "u64", gemmArgs, GEOMETRY), sigs.get("sgemm_f32"));
        assertEquals(List.of("u64", "u64", "u64", "u64", gemmArgs, GEOMETRY), sigs.get("sgemm_tf32_f32"));
        assertEquals(List.of("u64", "u64", "u32", GEOMETRY), sigs.get("unary_f32"));
        assertEquals(List.of("u64", "u32", "u64", "u32", GEOMETRY), sigs.get("cast_any"));
    }

    @Test
    void kernelArgsTagsMatchPtx() {
        KernelArgs a = new KernelArgs().ptr(null).ptr(null).ptr(null).ptr(null).ptr(null).ptr(null).i32(1).i32(2).i32(3).i32(4)
                .i32(5).f32(0.5f);
        assertEquals(all().get("attention_f32"), a.tags());
        KernelArgs s = new KernelArgs().ptr(null).ptr(null).f32(1).i32(0).struct(new long[Geometry.WORDS]);
        assertEquals(all().get("binary_scalar_f32"), s.tags());
    }
}
