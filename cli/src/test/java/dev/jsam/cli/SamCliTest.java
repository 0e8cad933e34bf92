package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.Json;
import dev.jsam.tensor.io.SafetensorsFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The `sam` command line end to end: a golden case through `predict`, `embed` then
 * `predict --embedding` giving the same masks, `convert`, and bad input answered with exit
 * code 2, one line naming the problem, and no output folder left behind.
 */
@Tag("golden")
class SamCliTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run sam(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String checkpoint() {
        return Golden.testdata("golden/tiny/sam_tiny.safetensors").toString();
    }

    static String dog() {
        return Golden.testdata("images/dog.png").toString();
    }

    @Test
    void predictMatchesGoldenCaseAndEmbeddingRoundTrip() throws Exception {
        Path out = tmp.resolve("out");
        Run r = sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "500,375,1", "--out", out.toString(),
                "--threads", "2");
        assertEquals(0, r.code(), r.err());
        for (String f : List.of("result.safetensors", "result.json", "overlay.png", "mask_0.png", "mask_1.png", "mask_2.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing");
        }
        Golden g = Golden.open("golden/tiny/dog.safetensors");
        CpuBackend be = CpuBackend.reference();
        SafetensorsFile result = SafetensorsFile.open(out.resolve("result.safetensors"));
        g.assertIouClose("point1_multi.iou_predictions", read(result, "iou_predictions", be));
        g.assertClose("point1_multi.low_res_logits", read(result, "low_res_logits", be));
        Tensor masks = read(result, "masks", be);
        byte[] bits = masks.toByteArray();
        boolean[] b = new boolean[bits.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = bits[i] != 0;
        }
        g.assertMasksMatch("point1_multi.masks_packed", b, 800);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(out.resolve("result.json")));
        assertEquals(3, ((List<?>) json.get("masks")).size());

        Path emb = tmp.resolve("dog.embedding.safetensors");
        assertEquals(0, sam("embed", "--checkpoint", checkpoint(), "--image", dog(), "--out", emb.toString()).code());
        Path out2 = tmp.resolve("out2");
        Run r2 = sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "500,375", "--embedding",
                emb.toString(), "--out", out2.toString());
        assertEquals(0, r2.code(), r2.err());
        assertFalse(r2.err().contains("encoding image"), "the encoder must not run with --embedding");
        Tensor masks2 = read(SafetensorsFile.open(out2.resolve("result.safetensors")), "masks", be);
        assertEquals(java.util.Arrays.toString(masks.toByteArray()), java.util.Arrays.toString(masks2.toByteArray()));

        String pth = Golden.testdata("golden/tiny/sam_tiny.pth").toString();
        Run fromPth = sam("predict", "--checkpoint", pth, "--image", dog(), "--point", "500,375", "--embedding",
                emb.toString(), "--out", tmp.resolve("out3").toString());
        assertEquals(0, fromPth.code(), "a .pth of the same weights loads and accepts the embedding: " + fromPth.err());
        String fp16 = Golden.testdata("golden/tiny/sam_tiny_fp16.pth").toString();
        Run otherModel = sam("predict", "--checkpoint", fp16, "--image", dog(), "--point", "500,375", "--embedding",
                emb.toString(), "--out", tmp.resolve("out4").toString());
        assertEquals(2, otherModel.code(), otherModel.err());
        String last = otherModel.err().strip().lines().reduce((first, next) -> next).orElse("");
        assertTrue(last.startsWith("sam predict: --embedding") && last.contains("was computed by model"), otherModel.err());
    }

    private static Tensor read(SafetensorsFile f, String name, CpuBackend be) throws Exception {
        SafetensorsFile.Entry e = f.get(name);
        return be.copyFromHost(e.dtype(), e.data(), e.shape());
    }

    @Test
    void batchOfBoxesGivesOnePromptPerBox() throws Exception {
        Path out = tmp.resolve("boxes");
        Run r = sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--box", "10,20,300,400",
                "--box", "400,100,790,520", "--single", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        SafetensorsFile f = SafetensorsFile.open(out.resolve("result.safetensors"));
        assertEquals("[2, 1, 534, 800]", java.util.Arrays.toString(f.get("masks").shape()));
        assertEquals("[2, 1]", java.util.Arrays.toString(f.get("iou_predictions").shape()));
    }

    @Test
    void badInputExitsWithTwoAndLeavesNoOutput() throws Exception {
        Path out = tmp.resolve("never");
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--out", out.toString()), "at least one prompt");
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "1,x", "--out", out.toString()),
                "\"x\" is not a number");
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "1,2,5", "--out", out.toString()),
                "LABEL must be 1");
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--box", "5,5,1,1", "--out", out.toString()),
                "X0 <= X1");
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "1,2", "--bogus", "--out",
                out.toString()), "unknown option --bogus");
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "1,2", "--multimask", "--single",
                "--out", out.toString()), "exclude each other");
        assertBad(sam("predict", "--checkpoint", dog(), "--image", dog(), "--point", "1,2", "--out", out.toString()),
                "is neither a safetensors file nor a PyTorch .pth checkpoint");
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", tmp.resolve("nope.png").toString(), "--point",
                "1,2", "--out", out.toString()), "nope.png: no such file");
        assertFalse(Files.exists(out), "no output folder after a failure");
        try (var s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains("partial")), "no staging folder left");
        }
        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("keep.txt"), "mine");
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "1,2", "--out", foreign.toString()),
                "not empty");
        assertEquals("mine", Files.readString(foreign.resolve("keep.txt")));
        assertBad(sam("frobnicate"), "unknown command");
    }

    private static void assertBad(Run r, String expected) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), "stderr should mention \"" + expected + "\": " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void cudaWithoutAGpuIsAClearErrorNotACpuFallback() {
        Run r = sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "1,2", "--device", "cuda",
                "--out", tmp.resolve("cuda").toString());
        org.junit.jupiter.api.Assumptions.assumeTrue(r.code() != 0, "a GPU is present: this test is for machines without one");
        assertBad(r, "--device cuda");
        assertFalse(Files.exists(tmp.resolve("cuda")));
        assertBad(sam("predict", "--checkpoint", checkpoint(), "--image", dog(), "--point", "1,2", "--device", "tpu",
                "--out", tmp.resolve("cuda").toString()), "expected cpu, cpu-reference, cuda");
    }

    @Test
    void convertProducesTheGoldenSafetensors() throws Exception {
        Path out = tmp.resolve("tiny.safetensors");
        Run r = sam("convert", Golden.testdata("golden/tiny/sam_tiny.pth").toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        SafetensorsFile converted = SafetensorsFile.open(out);
        SafetensorsFile golden = SafetensorsFile.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"));
        assertEquals(new java.util.TreeSet<>(golden.names()), new java.util.TreeSet<>(converted.names()));
    }

    @Test
    void helpIsPrintedForEachCommand() {
        String overview = sam("--help").out();
        for (Main.Command c : Main.COMMANDS) {
            String cmd = c.spec().name();
            Run r = sam(cmd, "--help");
            assertEquals(0, r.code());
            assertTrue(r.out().startsWith("usage: sam " + cmd + " "), r.out());
            assertTrue(r.out().contains("\n" + c.spec().summary() + "\n"), "one-line description: " + r.out());
            assertTrue(overview.contains(cmd + " ") && overview.contains(c.spec().summary()), overview);
            for (CommandSpec.Option o : c.spec().options()) {
                assertTrue(r.out().contains("  " + o.name() + " "), cmd + " --help lists " + o.name() + ": " + r.out());
            }
        }
        assertTrue(sam("amg", "--help").out().contains("--device D"), "amg's --device is documented");
        assertEquals(2, sam("convert", "--bogus").code(), "an option not in the help is refused");
    }

    @Test
    void versionComesFromThePom() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?s)<parent>.*?<version>(.+?)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "cli/pom.xml names its parent's version");
        Run r = sam("--version");
        assertEquals(0, r.code());
        assertEquals("jsam " + m.group(1), r.out().strip());
    }
}
