package dev.jsam.spark;

import dev.jsam.cli.Main;
import dev.jsam.sam.Golden;
import dev.jsam.tensor.io.Json;
import org.apache.spark.sql.Row;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Segment everything on Spark (local[2], the tiny model) against `sam amg --convert-to-rle` run
 * in-process on the same folder: per image the same masks in the same order, every key of the
 * reference's JSON equal (RLE strings, boxes, scores, points, crop boxes), photos turned upright
 * by their EXIF orientation or not as `sam amg` turns them; the folder's undecodable files and
 * images over the memory budget come out as error rows; the JVM builds at most one model per task
 * slot (each test class's jobs run several tasks, all served by those models).
 */
class SparkAmgTest {
    /**
     * Small enough for CI, with masks kept: the tiny model's scores are random and its masks
     * overlap, so no threshold and no box NMS (48 masks per image); other values off default.
     */
    static final List<String> AMG_FLAGS = List.of("--points-per-side", "4", "--points-per-batch", "8",
            "--pred-iou-thresh", "0", "--stability-score-thresh", "0", "--stability-score-offset", "0.5",
            "--box-nms-thresh", "1.0");

    @TempDir
    static Path tmp;
    static Path images;

    @BeforeAll
    static void folder() throws IOException {
        images = TestSpark.images(tmp.resolve("images"));
    }

    /** The Spark job's options for the flags of `sam amg`. */
    static Map<String, String> options(List<String> flags) {
        Map<String, String> o = new TreeMap<>();
        o.put("checkpoint", TestSpark.checkpoint());
        for (int i = 0; i < flags.size(); i += 2) {
            o.put(flags.get(i).substring(2).replace('-', '_'), flags.get(i + 1));
        }
        return o;
    }

    /** The records of `sam amg --convert-to-rle` with the AMG flags and {@code extra}, per image file name. */
    static Map<String, List<Object>> samAmg(Path input, Path output, List<String> extra, String... images) throws IOException {
        List<String> args = new ArrayList<>(List.of("amg", "--checkpoint", TestSpark.checkpoint(), "--input", input.toString(),
                "--output", output.toString(), "--convert-to-rle", "--threads", "2"));
        args.addAll(AMG_FLAGS);
        args.addAll(extra);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Map<String, List<Object>> out = new TreeMap<>();
        for (String image : images) {
            String name = image.substring(0, image.indexOf('.'));
            out.put(image, asList(Json.parse(Files.readString(output.resolve(name + ".json")))));
        }
        return out;
    }

    /** The Spark job's rows (AMG_FLAGS and {@code extra} options) over a folder, written as JSON Lines and read back. */
    static Map<String, List<Map<String, Object>>> sparkAmg(Path input, Path output, Map<String, String> extra)
            throws IOException {
        Map<String, String> options = options(AMG_FLAGS);
        options.putAll(extra);
        SamSpark.write(SamSpark.segmentEverything(SamSpark.listImages(TestSpark.session(), input.toString()), options),
                output.toString(), "jsonl");
        assertTrue(Files.exists(output.resolve("_SUCCESS")), "committed");
        return rowsByImage(output);
    }

    /** Per image of {@code expected}, the same masks in the same order with every key of sam amg's records equal. */
    static void assertSameMasks(Map<String, List<Object>> expected, Map<String, List<Map<String, Object>>> rows) {
        for (String image : expected.keySet()) {
            List<Object> want = expected.get(image);
            List<Map<String, Object>> got = rows.get(image);
            assertTrue(want.size() > 3, "the test needs masks: " + want.size());
            assertEquals(want.size(), got.size(), "masks of " + image);
            for (int i = 0; i < want.size(); i++) {
                Map<String, Object> row = got.get(i);
                assertEquals(i, ((Number) row.get("mask_index")).intValue());
                Map<?, ?> record = (Map<?, ?>) want.get(i);
                for (Object key : record.keySet()) {
                    assertEquals(record.get(key), row.get(key), image + " mask " + i + " " + key);
                }
                assertNull(row.get("error"));
            }
        }
    }

    /** JSON Lines part files read back: the rows per image file name, ordered by mask_index. */
    static Map<String, List<Map<String, Object>>> rowsByImage(Path folder) throws IOException {
        Map<String, List<Map<String, Object>>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path part : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> row = (Map<String, Object>) Json.parse(line);
                    String path = (String) row.get("path");
                    out.computeIfAbsent(path.substring(path.lastIndexOf('/') + 1), k -> new ArrayList<>()).add(row);
                }
            }
        }
        out.values().forEach(l -> l.sort(Comparator.comparing(r -> r.get("mask_index") == null ? -1
                : ((Number) r.get("mask_index")).intValue())));
        return out;
    }

    @Test
    void rowsEqualSamAmgAndBadFilesAreErrorRows() throws IOException {
        Map<String, List<Object>> expected = samAmg(images, tmp.resolve("cli"), List.of(), "dog.png", "truck.jpg");
        Map<String, List<Map<String, Object>>> rows = sparkAmg(images, tmp.resolve("spark"), Map.of());
        assertSameMasks(expected, rows);
        assertError(rows.get("notes.txt"), "not an image");
        assertError(rows.get("cut.png"), "cannot decode");
        assertEquals(List.of("cut.png", "dog.png", "notes.txt", "truck.jpg"), new ArrayList<>(rows.keySet()));

        int built = ExecutorModels.modelsBuilt(TestSpark.checkpoint());
        assertTrue(built >= 1 && built <= 2, "at most one model per task slot (local[2]) for all tasks so far: " + built);
    }

    /**
     * A photo whose EXIF orientation turns it a quarter (dog_exif6.jpg) gives `sam amg`'s masks in
     * the upright frame, and with ignore_exif_orientation its masks in the stored frame.
     */
    @Test
    void photosAreTurnedUprightUnlessTold() throws IOException {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        Files.copy(Golden.testdata("images/realworld/dog_exif6.jpg"), photos.resolve("dog_exif6.jpg"));
        List<Object> sizes = new ArrayList<>();
        for (boolean ignore : new boolean[] {false, true}) {
            Map<String, List<Object>> expected = samAmg(photos, tmp.resolve("cli-exif-" + ignore),
                    ignore ? List.of("--ignore-exif-orientation") : List.of(), "dog_exif6.jpg");
            Map<String, List<Map<String, Object>>> rows = sparkAmg(photos, tmp.resolve("spark-exif-" + ignore),
                    ignore ? Map.of("ignore_exif_orientation", "true") : Map.of());
            assertSameMasks(expected, rows);
            sizes.add(((Map<?, ?>) rows.get("dog_exif6.jpg").get(0).get("segmentation")).get("size"));
        }
        assertEquals(List.of(List.of(534L, 800L), List.of(800L, 534L)), sizes, "[h, w] upright (800 wide), then as stored");
    }

    /** An image that would need more heap than memory_mb by the memory model is an error row, as `sam amg` skips it. */
    @Test
    void imagesOverTheMemoryBudgetAreErrorRows() {
        List<Row> rows = SamSpark.segmentEverything(SamSpark.listImages(TestSpark.session(), images.toString()),
                Map.of("checkpoint", TestSpark.checkpoint(), "memory_mb", "20")).collectAsList();
        Map<String, String> errors = new TreeMap<>();
        rows.forEach(r -> errors.put(r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1), r.getAs("error")));
        assertEquals(4, rows.size(), "one error row per file: " + rows);
        assertTrue(errors.get("dog.png").matches("segmenting everything in this 800 x 534 image needs about \\d+ MB of"
                + " memory, over the budget of 20 MB .*"), errors.get("dog.png"));
        assertTrue(errors.get("truck.jpg").contains("300 x 200 image needs about"), errors.get("truck.jpg"));
        assertTrue(errors.get("notes.txt").contains("not an image"), errors.get("notes.txt"));
    }

    private static void assertError(List<Map<String, Object>> rows, String reason) {
        assertEquals(1, rows.size(), "one error row");
        Map<String, Object> row = rows.get(0);
        String error = (String) row.get("error");
        assertTrue(error != null && error.contains(reason) && !error.contains("\n"), error);
        assertTrue(!error.contains("jsam-spark-"), "names no temporary file: " + error);
        assertEquals(List.of("path", "error"), new ArrayList<>(row.keySet()), "only path and error");
    }

    private static List<Object> asList(Object o) {
        List<Object> out = new ArrayList<>();
        for (Object x : (List<?>) o) {
            out.add(x);
        }
        return out;
    }
}
