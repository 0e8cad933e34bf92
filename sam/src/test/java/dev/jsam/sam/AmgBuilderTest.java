package dev.jsam.sam;

import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.BinaryMask;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The segment-everything builder: the reference's defaults, a one-line error naming each bad
 * value, the reference's "points per side or point grids" rule, and one run of the tiny model on
 * an explicit grid whose records (RLE, with the Map form as an adapter) come from those points.
 */
class AmgBuilderTest {
    static CpuBackend backend;
    static Sam sam;

    @BeforeAll
    static void load() throws Exception {
        backend = CpuBackend.create(2);
        sam = Sam.load(Golden.testdata("golden/tiny/sam_tiny.safetensors"), backend);
    }

    @AfterAll
    static void close() {
        sam.close();
        backend.close();
    }

    @Test
    void defaultsAreTheReferences() {
        SamAutomaticMaskGenerator g = SamAutomaticMaskGenerator.builder(sam).build();
        assertEquals(AmgParams.defaults(), g.params());
        assertNull(g.pointGrids());
        assertEquals(Annotations.OutputMode.BINARY_MASK, g.outputMode());
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        assertRefused(b -> b.pointsPerSide(0), "pointsPerSide must be in 1..1024, got 0");
        assertRefused(b -> b.pointsPerBatch(5000), "pointsPerBatch must be in 1..1024, got 5000");
        assertRefused(b -> b.predIouThresh(1.5), "predIouThresh must be in [0.0, 1.0], got 1.5");
        assertRefused(b -> b.stabilityScoreThresh(Double.NaN), "stabilityScoreThresh must be in [0.0, 1.0], got NaN");
        assertRefused(b -> b.stabilityScoreOffset(Double.POSITIVE_INFINITY), "stabilityScoreOffset must be >= 0.0 and finite");
        assertRefused(b -> b.boxNmsThresh(-0.1), "boxNmsThresh must be in [0.0, 1.0]");
        assertRefused(b -> b.cropNLayers(-1), "cropNLayers must be in 0..6, got -1");
        assertRefused(b -> b.cropNmsThresh(2), "cropNmsThresh must be in [0.0, 1.0]");
        assertRefused(b -> b.cropOverlapRatio(1), "cropOverlapRatio must be in [0, 1), got 1.0");
        assertRefused(b -> b.cropNPointsDownscaleFactor(0), "cropNPointsDownscaleFactor must be >= 1, got 0");
        assertRefused(b -> b.minMaskRegionArea(-5), "minMaskRegionArea must be >= 0, got -5");
        assertRefused(b -> b.pointsPerSide(8).pointGrids(new double[] {0.5, 0.5}).build(), "not both");
        assertRefused(b -> b.pointGrids(new double[] {0.5, 0.5}).cropNLayers(1).build(), "1 point grid(s) for 2 crop layer(s)");
        assertRefused(b -> b.pointsPerSide(4).cropNLayers(2).cropNPointsDownscaleFactor(4).build(),
                "crop layer 2 would get no points");
    }

    private static void assertRefused(Consumer<AmgBuilder> step, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> step.accept(SamAutomaticMaskGenerator.builder(sam)));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void anExplicitGridPromptsItsPointsAndGivesRecords() {
        double[] grid = {0.25, 0.5, 0.75, 0.5, 0.5, 0.125};
        SamAutomaticMaskGenerator g = SamAutomaticMaskGenerator.builder(sam).pointGrids(grid).pointsPerBatch(2)
                .predIouThresh(0).stabilityScoreThresh(0).boxNmsThresh(1).outputMode(Annotations.OutputMode.UNCOMPRESSED_RLE)
                .build();
        grid[0] = 0.9;
        assertEquals(0.25, g.pointGrids()[0][0], "the grid was copied");
        byte[] px = new byte[64 * 48 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 3 == 0 ? i / 40 : 255 - i / 60);
        }
        List<int[]> progress = new ArrayList<>();
        List<MaskRecord> records = g.generate(RgbImage.of(64, 48, px), (c, n, d, t) -> progress.add(new int[] {c, n, d, t}));
        assertEquals(2, progress.size(), "3 points in batches of 2");
        assertArrayEquals(new int[] {0, 1, 3, 3}, progress.get(1));
        assertFalse(records.isEmpty(), "no threshold drops anything");
        for (MaskRecord r : records) {
            double[] p = r.point();
            assertTrue(p[0] == 16 && p[1] == 24 || p[0] == 48 && p[1] == 24 || p[0] == 32 && p[1] == 6,
                    java.util.Arrays.toString(p));
            BinaryMask m = r.mask();
            assertEquals(48, m.height());
            assertEquals(r.area(), m.area());
        }
        List<Map<String, Object>> maps = g.annotations(records);
        assertEquals(records.size(), maps.size());
        assertEquals(List.of("segmentation", "area", "bbox", "predicted_iou", "point_coords", "stability_score", "crop_box"),
                List.copyOf(maps.getFirst().keySet()));
        assertEquals(records.getFirst().area(), maps.getFirst().get("area"));
    }

    @Test
    void anInterruptedCallerGetsNoMasks() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class,
                    () -> SamAutomaticMaskGenerator.builder(sam).build().generate(RgbImage.of(8, 8, new byte[192])));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }
}
