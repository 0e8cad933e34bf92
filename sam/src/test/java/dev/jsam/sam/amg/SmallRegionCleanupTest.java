package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** postprocess_small_regions: changed masks lose NMS ties to unchanged ones and get new masks and boxes. */
class SmallRegionCleanupTest {
    private static final int H = 30;
    private static final int W = 60;

    private static BinaryMask square(int x0, int y0, int x1, int y1) {
        BinaryMask m = BinaryMask.empty(H, W);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                m.data()[y * W + x] = true;
            }
        }
        return m;
    }

    private static MaskRecord record(BinaryMask m, float iou) {
        return new MaskRecord(Rle.fromMask(m), Boxes.maskToBox(m), iou, 0.97f, new double[] {1, 2}, new int[] {0, 0, W, H});
    }

    @Test
    void unchangedDuplicateWinsAndChangedMaskIsRewritten() {
        BinaryMask holed = square(2, 2, 21, 21);
        holed.data()[10 * W + 10] = false;
        BinaryMask clean = square(2, 2, 21, 21);
        BinaryMask islanded = square(35, 5, 50, 20);
        islanded.data()[28 * W + 58] = true;
        MaskRecord a = record(holed, 0.99f);
        MaskRecord b = record(clean, 0.90f);
        MaskRecord c = record(islanded, 0.95f);
        List<MaskRecord> out = SmallRegionCleanup.apply(List.of(a, b, c), 5, 0.7);
        assertEquals(2, out.size());
        assertSame(b, out.get(0));
        MaskRecord fixed = out.get(1);
        assertEquals(Rle.fromMask(square(35, 5, 50, 20)), fixed.rle());
        assertArrayEquals(new int[] {35, 5, 50, 20}, fixed.box());
        assertEquals(0.95f, fixed.predictedIou());
    }

    @Test
    void nothingToFixKeepsEverythingInScoreOrder() {
        MaskRecord a = record(square(0, 0, 9, 9), 0.5f);
        MaskRecord b = record(square(30, 0, 39, 9), 0.9f);
        assertEquals(List.of(a, b), SmallRegionCleanup.apply(List.of(a, b), 5, 0.7));
        assertEquals(List.of(), SmallRegionCleanup.apply(List.of(), 5, 0.7));
    }
}
