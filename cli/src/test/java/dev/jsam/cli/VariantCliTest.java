package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.SafetensorsFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MobileSAM and HQ-SAM through `sam predict` against the golden files, on the README's formula
 * weights: written by the library (always), and, where -Djsam.variants.pth names a folder holding
 * them, from the torch.save'd state_dicts testdata/dev/formula_state_dict.py makes (as the released
 * checkpoints are), converted by `sam convert` first. vit_t is checked against the reference run with
 * its attention biases in use (golden/variants/mobile_sam_dog_biases.safetensors, see
 * MobileSamGoldenTest); hq_vit_b against every case with and without --hq-token-only, its image
 * encoded once by `sam embed` (the file carries the intermediate embedding).
 */
@Tag("golden")
class VariantCliTest {
    static final String DIR = "golden/variants/";
    static final String PTH_DIR = "jsam.variants.pth";

    @TempDir
    Path tmp;

    @Test
    void vitTThroughSamPredict() throws Exception {
        vitT(writeFormula(SamConfig.vitT(), "vit_t.safetensors"));
    }

    @Test
    @Tag("slow")
    void hqVitBThroughSamEmbedAndPredict() throws Exception {
        hqVitB(writeFormula(SamConfig.hq(SamConfig.vitB()), "hq_vit_b.safetensors"));
    }

    @Test
    void vitTFromATorchSavedStateDict() throws Exception {
        vitT(converted("mobile_sam_formula.pth"));
    }

    @Test
    @Tag("slow")
    void hqVitBFromATorchSavedStateDict() throws Exception {
        hqVitB(converted("sam_hq_vit_b_formula.pth"));
    }

    @Test
    void hqTokenOnlyOnACheckpointWithSamsDecoderIsBadInput() {
        Path out = tmp.resolve("never");
        SamCliTest.Run r = SamCliTest.sam("predict", "--checkpoint", SamCliTest.checkpoint(), "--image", SamCliTest.dog(),
                "--point", "500,375", "--hq-token-only", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--hq-token-only applies to HQ-SAM checkpoints"), r.err());
        assertTrue(Files.notExists(out));
    }

    private Path writeFormula(SamConfig config, String name) throws Exception {
        Path file = tmp.resolve(name);
        try (CpuBackend be = CpuBackend.create(1)) {
            new SyntheticWeights(config, be).writeSafetensors(file);
        }
        return file;
    }

    /** `sam convert` of the named .pth in the -Djsam.variants.pth folder; skips the test without one. */
    private Path converted(String pth) {
        String dir = System.getProperty(PTH_DIR);
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, pth)), "-D" + PTH_DIR
                + " names no folder with " + pth + " (testdata/dev/formula_state_dict.py makes it)");
        Path out = tmp.resolve(pth.replace(".pth", ".safetensors"));
        SamCliTest.Run r = SamCliTest.sam("convert", Path.of(dir, pth).toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private void vitT(Path checkpoint) throws Exception {
        Golden g = Golden.open(DIR + "mobile_sam_dog_biases.safetensors");
        Map<?, ?> first = (Map<?, ?>) cases().getFirst();
        assertEquals("point1_multi", first.get("name"));
        check(g, "point1_multi", predict(checkpoint, first, null, false), "vit_t");
    }

    private void hqVitB(Path checkpoint) throws Exception {
        Golden g = Golden.open(DIR + "hq_vit_b_dog.safetensors");
        Path emb = tmp.resolve("dog.embedding.safetensors");
        SamCliTest.Run e = SamCliTest.sam("embed", "--checkpoint", checkpoint.toString(), "--image", SamCliTest.dog(),
                "--out", emb.toString());
        assertEquals(0, e.code(), e.err());
        for (Object o : cases()) {
            Map<?, ?> c = (Map<?, ?>) o;
            for (boolean hqOnly : new boolean[] {false, true}) {
                String name = c.get("name") + (hqOnly ? ".hq_only" : "");
                check(g, name, predict(checkpoint, c, emb, hqOnly), "hq_vit_b");
            }
        }
    }

    private static List<?> cases() {
        return (List<?>) Golden.json(DIR + "variant_cases_dog.json").get("cases");
    }

    /** One golden case as `sam predict` flags; returns the output folder. */
    private Path predict(Path checkpoint, Map<?, ?> c, Path embedding, boolean hqOnly) {
        List<String> args = new ArrayList<>(List.of("predict", "--checkpoint", checkpoint.toString(), "--image",
                SamCliTest.dog()));
        if (c.get("point_coords") instanceof List<?> points) {
            List<?> labels = (List<?>) c.get("point_labels");
            for (int i = 0; i < points.size(); i++) {
                List<?> p = (List<?>) points.get(i);
                args.addAll(List.of("--point", p.get(0) + "," + p.get(1) + "," + labels.get(i)));
            }
        }
        if (c.get("box") instanceof List<?> box) {
            args.addAll(List.of("--box", box.get(0) + "," + box.get(1) + "," + box.get(2) + "," + box.get(3)));
        }
        args.add(Boolean.TRUE.equals(c.get("multimask_output")) ? "--multimask" : "--single");
        if (embedding != null) {
            args.addAll(List.of("--embedding", embedding.toString()));
        }
        if (hqOnly) {
            args.add("--hq-token-only");
        }
        Path out = tmp.resolve("out-" + c.get("name") + (hqOnly ? "-hq" : ""));
        args.addAll(List.of("--out", out.toString()));
        SamCliTest.Run r = SamCliTest.sam(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return out;
    }

    private static void check(Golden g, String name, Path out, String model) throws Exception {
        assertTrue(Files.readString(out.resolve("result.json")).contains("\"" + model + "\""), "result.json names " + model);
        try (CpuBackend be = CpuBackend.reference()) {
            SafetensorsFile result = SafetensorsFile.open(out.resolve("result.safetensors"));
            g.assertIouClose(name + ".iou_predictions", read(result, "iou_predictions", be));
            g.assertClose(name + ".low_res_logits", read(result, "low_res_logits", be));
            Tensor masks = read(result, "masks", be);
            byte[] bits = masks.toByteArray();
            boolean[] b = new boolean[bits.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = bits[i] != 0;
            }
            g.assertMasksMatch(name + ".masks_packed", b, masks.dim(-1));
        }
    }

    private static Tensor read(SafetensorsFile f, String name, CpuBackend be) throws Exception {
        SafetensorsFile.Entry e = f.get(name);
        return be.copyFromHost(e.dtype(), e.data(), e.shape());
    }
}
