package dev.jsam.spark;

import dev.jsam.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/sam-spark's commands run in-process on the tests' session: bad input (flags, values, the
 * checkpoint, flags of the other command, --hq-token-only on a model without the HQ decoder)
 * exits 2 with one line before any output appears; a folder of files that are not images exits 1 with their error rows
 * written; predict reads a JSON Lines table of prompts and writes one mask per prompt with --single.
 */
class SparkCliTest {
    @TempDir
    static Path tmp;
    static Path images;

    record Run(int code, String err) {
    }

    @BeforeAll
    static void setUp() throws IOException {
        TestSpark.session();
        images = TestSpark.images(tmp.resolve("images"));
    }

    static Run samSpark(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SamSparkMain.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badInputExits2InOneLineBeforeAnyOutput() throws IOException {
        String ckpt = TestSpark.checkpoint();
        String in = images.toString();
        String out = tmp.resolve("never").toString();
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        String prompts = Files.writeString(tmp.resolve("one-prompt.jsonl"), "{\"path\": \"x.png\", \"box\": [0, 0, 9, 9]}\n")
                .toString();
        Map<List<String>, String> cases = Map.ofEntries(
                Map.entry(List.of("amg", "--checkpoint", ckpt, "--input", in, "--output", out, "--points-per-sid", "4"),
                        "unknown option --points-per-sid"),
                Map.entry(List.of("amg", "--checkpoint", ckpt, "--input", in, "--output", out, "--points-per-side", "0"),
                        "--points-per-side must be >= 1, got 0"),
                Map.entry(List.of("amg", "--input", in, "--output", out), "--checkpoint is required"),
                Map.entry(List.of("amg", "--checkpoint", ckpt, "--input", in, "--output", existing.toString()), "already exists"),
                Map.entry(List.of("amg", "--checkpoint", ckpt, "--input", tmp.resolve("nothing").toString(), "--output", out),
                        "no such file or folder"),
                Map.entry(List.of("amg", "--checkpoint", tmp.resolve("no.safetensors").toString(), "--input", in, "--output", out),
                        "checkpoint not found"),
                Map.entry(List.of("amg", "--checkpoint", images.resolve("dog.png").toString(), "--input", in, "--output", out),
                        "is neither a safetensors file nor a PyTorch .pth checkpoint"),
                Map.entry(List.of("amg", "--checkpoint", ckpt, "--input", in, "--output", out, "--format", "xml"),
                        "--format must be parquet or jsonl"),
                Map.entry(List.of("amg", "--checkpoint", ckpt, "--input", in, "--output", out, "--device", "tpu"),
                        "--device tpu: unknown device"),
                Map.entry(List.of("amg", "--checkpoint", ckpt, "--input", in, "--output", out, "--memory-mb", "99999999"),
                        "--memory-mb 99999999 is more than the JVM's maximum heap"),
                Map.entry(List.of("amg", "--checkpoint", ckpt, "--input", in, "--output", out, "--hq-token-only"),
                        "unknown option --hq-token-only"),
                Map.entry(List.of("predict", "--checkpoint", ckpt, "--prompts", prompts, "--output", out, "--points-per-side", "4"),
                        "unknown option --points-per-side"),
                Map.entry(List.of("predict", "--checkpoint", ckpt, "--prompts", prompts, "--output", out, "--hq-token-only"),
                        "--hq-token-only applies to HQ-SAM checkpoints; " + ckpt + " is "),
                Map.entry(List.of("segment", "--checkpoint", ckpt), "unknown command 'segment'"));
        cases.forEach((args, message) -> {
            Run r = samSpark(args.toArray(String[]::new));
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(message) && r.err().strip().lines().count() == 1, r.err());
        });
        assertFalse(Files.exists(Path.of(out)), "no output for bad input");
    }

    @Test
    void onlyUndecodableFilesExit1WithTheirErrorRows() throws IOException {
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        Files.copy(images.resolve("notes.txt"), bad.resolve("notes.txt"));
        Files.copy(images.resolve("cut.png"), bad.resolve("cut.png"));
        Path out = tmp.resolve("bad-out");
        Run r = samSpark("amg", "--checkpoint", TestSpark.checkpoint(), "--input", bad.toString(), "--output", out.toString(),
                "--format", "jsonl", "--convert-to-rle");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("2 image(s): 0 mask(s) on 0, 2 could not be segmented"), r.err());
        assertTrue(r.err().contains("cut.png: ") && r.err().contains("notes.txt: "), r.err());
        assertEquals(2, lines(out).size());
    }

    @Test
    void predictReadsJsonLinesPrompts() throws IOException {
        Path prompts = tmp.resolve("prompts.jsonl");
        String dog = images.resolve("dog.png").toString();
        Files.writeString(prompts, "{\"path\": \"" + dog + "\", \"point_coords\": [[500, 375]], \"point_labels\": [1]}\n"
                + "{\"path\": \"" + dog + "\", \"box\": [100, 100, 400, 300]}\n");
        Path out = tmp.resolve("prompts-out");
        Run r = samSpark("predict", "--checkpoint", TestSpark.checkpoint(), "--prompts", prompts.toString(), "--output",
                out.toString(), "--format", "jsonl", "--single");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("2 prompt(s) on 1 image(s) answered, 0 not"), r.err());
        for (Map<?, ?> row : lines(out)) {
            List<?> masks = (List<?>) row.get("masks");
            assertEquals(1, masks.size(), "--single: one mask per prompt");
            Map<?, ?> seg = (Map<?, ?>) ((Map<?, ?>) masks.get(0)).get("segmentation");
            assertEquals(List.of(534L, 800L), seg.get("size"));
        }
    }

    private static List<Map<?, ?>> lines(Path folder) throws IOException {
        assertTrue(Files.exists(folder.resolve("_SUCCESS")));
        List<Map<?, ?>> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(folder)) {
            for (Path p : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(p)) {
                    rows.add((Map<?, ?>) Json.parse(line));
                }
            }
        }
        return rows;
    }
}
