package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Boxes around masks (inclusive XYXY), XYWH, uncropping and the crop-edge filter. */
class BoxesTest {

    @Test
    void boxHoldsTheLastTrueRowAndColumn() {
        BinaryMask m = BinaryMask.parse(
                "00000",
                "00100",
                "01000",
                "00010");
        assertArrayEquals(new int[] {1, 1, 3, 3}, Boxes.maskToBox(m));
        assertArrayEquals(new int[] {1, 1, 2, 2}, Boxes.xyxyToXywh(Boxes.maskToBox(m)));
    }

    @Test
    void singlePixelAndEmptyMasks() {
        assertArrayEquals(new int[] {2, 0, 2, 0}, Boxes.maskToBox(BinaryMask.parse("001", "000")));
        assertArrayEquals(new int[] {0, 0, 0, 0}, Boxes.maskToBox(BinaryMask.parse("000", "000")));
        assertArrayEquals(new int[] {0, 0, 2, 1}, Boxes.maskToBox(BinaryMask.parse("111", "111")));
    }

    @Test
    void uncropShiftsByTheCropCorner() {
        assertArrayEquals(new int[] {15, 27, 18, 29}, Boxes.uncrop(new int[] {5, 7, 8, 9}, new int[] {10, 20, 50, 60}));
        assertEquals(12L, Boxes.area(new int[] {1, 2, 4, 6}));
    }

    @Test
    void nearCropEdgeButNotImageEdge() {
        int[] orig = {0, 0, 800, 534};
        int[] crop = {309, 176, 800, 534};
        // left edge at 309 + 20 = 329: within 20 of the crop's left edge, far from the image's
        assertTrue(Boxes.isNearCropEdge(new int[] {20, 100, 200, 200}, crop, orig));
        // left edge at 330: 21 away, no longer near
        assertFalse(Boxes.isNearCropEdge(new int[] {21, 100, 200, 200}, crop, orig));
        // right and bottom edges on the crop edge that is also the image edge: kept
        assertFalse(Boxes.isNearCropEdge(new int[] {100, 100, 490, 357}, crop, orig));
        // the whole image as crop: nothing is ever near a crop-only edge
        assertFalse(Boxes.isNearCropEdge(new int[] {0, 0, 799, 533}, orig, orig));
    }
}
