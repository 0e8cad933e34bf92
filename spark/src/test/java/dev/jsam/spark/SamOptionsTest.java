package dev.jsam.spark;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The job's options without Spark: the reference's defaults, each key read into its parameter,
 * bad values refused in one line naming the key; and the test JVM runs with every flag of
 * spark/jvm.flags (the pom's copy of the list must not drift from bin/sam-spark's).
 */
class SamOptionsTest {
    @Test
    void defaultsAreTheReferences() {
        SamOptions o = SamOptions.of(Map.of("checkpoint", "m.safetensors"));
        assertEquals(new AmgSettings(32, 64, 0.88, 0.95, 1.0, 0.7, 0, 0.7, 512.0 / 1500, 1, 0), o.amg());
        assertEquals("cpu", o.device());
        assertFalse(o.ignoreExifOrientation());
        assertEquals(Runtime.getRuntime().maxMemory(), o.memoryBytes(), "the JVM's maximum heap, as sam amg");
        assertTrue(o.multimaskOutput());
        assertFalse(o.hqTokenOnly());
    }

    @Test
    void everyKeyReachesItsParameter() {
        SamOptions o = SamOptions.of(Map.ofEntries(Map.entry("checkpoint", "m"), Map.entry("device", "cpu-reference"),
                Map.entry("points_per_side", "8"), Map.entry("points_per_batch", "16"), Map.entry("pred_iou_thresh", "0.5"),
                Map.entry("stability_score_thresh", "0.6"), Map.entry("stability_score_offset", "2"),
                Map.entry("box_nms_thresh", "0.8"), Map.entry("crop_n_layers", "2"), Map.entry("crop_nms_thresh", "0.9"),
                Map.entry("crop_overlap_ratio", "0.25"), Map.entry("crop_n_points_downscale_factor", "3"),
                Map.entry("min_mask_region_area", "100"), Map.entry("multimask_output", "false"),
                Map.entry("ignore_exif_orientation", "true"), Map.entry("memory_mb", "300"), Map.entry("hq_token_only", "TRUE")));
        assertEquals(new AmgSettings(8, 16, 0.5, 0.6, 2.0, 0.8, 2, 0.9, 0.25, 3, 100), o.amg());
        assertEquals("cpu-reference", o.device());
        assertFalse(o.multimaskOutput());
        assertTrue(o.ignoreExifOrientation());
        assertEquals(300L << 20, o.memoryBytes());
        assertTrue(o.hqTokenOnly());
    }

    @Test
    void badValuesAreOneLineNamingTheKey() {
        Map<Map<String, String>, String> cases = Map.ofEntries(
                Map.entry(Map.of(), "checkpoint is required"),
                Map.entry(Map.of("checkpoint", "m", "points_per_side", "0"), "points_per_side must be >= 1, got 0"),
                Map.entry(Map.of("checkpoint", "m", "points_per_batch", "x"), "points_per_batch must be an integer, got 'x'"),
                Map.entry(Map.of("checkpoint", "m", "crop_n_layers", "5"), "crop_n_layers must be 0..4, got 5"),
                Map.entry(Map.of("checkpoint", "m", "crop_overlap_ratio", "1"), "crop_overlap_ratio must be in [0, 1), got 1.0"),
                Map.entry(Map.of("checkpoint", "m", "pred_iou_thresh", "NaN"), "pred_iou_thresh must be a finite number, got 'NaN'"),
                Map.entry(Map.of("checkpoint", "m", "min_mask_region_area", "-1"), "min_mask_region_area must be >= 0, got -1"),
                Map.entry(Map.of("checkpoint", "m", "memory_mb", "0"), "memory_mb must be >= 1, got 0"),
                Map.entry(Map.of("checkpoint", "m", "multimask_output", "yes"), "multimask_output must be true or false, got 'yes'"),
                Map.entry(Map.of("checkpoint", "m", "ignore_exif_orientation", "1"),
                        "ignore_exif_orientation must be true or false, got '1'"),
                Map.entry(Map.of("checkpoint", "m", "points_per_sid", "8"), "unknown option points_per_sid; the options are checkpoint, "));
        cases.forEach((options, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SamOptions.of(options));
            assertTrue(e.getMessage().startsWith(message) && !e.getMessage().contains("\n"), e.getMessage());
        });
    }

    @Test
    void theTestJvmHasEveryFlagOfJvmFlags() throws Exception {
        Path flags = Path.of(System.getProperty("jsam.testdata")).resolveSibling("spark/jvm.flags");
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : Files.readAllLines(flags)) {
            assertTrue(jvm.contains(flag), flag + " is in spark/jvm.flags but not in the pom's jsam.sparkJvmFlags");
        }
    }
}
