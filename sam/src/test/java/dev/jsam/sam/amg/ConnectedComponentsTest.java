package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** 8-connected labelling with stats on hand-made masks. */
class ConnectedComponentsTest {

    @Test
    void ringIsOneComponentAndItsHoleIsSeparateFromTheOutside() {
        BinaryMask ring = BinaryMask.parse(
                "00000",
                "01110",
                "01010",
                "01110",
                "00000");
        ConnectedComponents cc = ConnectedComponents.label(ring);
        assertEquals(2, cc.count());
        assertEquals(8, cc.area(1));
        assertEquals(17, cc.area(0));
        assertArrayEquals(new int[] {1, 1, 3, 3}, cc.box(1));
        // complement: the outside border (16 pixels) and the centre (1), touching only diagonally via the ring
        boolean[] inv = new boolean[25];
        for (int i = 0; i < 25; i++) {
            inv[i] = !ring.data()[i];
        }
        ConnectedComponents holes = ConnectedComponents.label(new BinaryMask(5, 5, inv));
        assertEquals(3, holes.count());
        assertEquals(16, holes.area(holes.label(0, 0)));
        assertEquals(1, holes.area(holes.label(2, 2)));
    }

    @Test
    void diagonalNeighboursAreConnected() {
        ConnectedComponents cc = ConnectedComponents.label(BinaryMask.parse(
                "1000",
                "0100",
                "0010",
                "0101"));
        assertEquals(2, cc.count());
        assertEquals(5, cc.area(1));
        assertArrayEquals(new int[] {0, 0, 4, 4}, cc.box(1));
    }

    @Test
    void isolatedPixelsAreTheirOwnComponents() {
        ConnectedComponents cc = ConnectedComponents.label(BinaryMask.parse(
                "101",
                "000",
                "101"));
        assertEquals(5, cc.count());
        for (int l = 1; l < 5; l++) {
            assertEquals(1, cc.area(l));
        }
    }

    @Test
    void uShapeMergesLateInTheScan() {
        ConnectedComponents cc = ConnectedComponents.label(BinaryMask.parse(
                "1001",
                "1001",
                "1111"));
        assertEquals(2, cc.count());
        assertEquals(8, cc.area(1));
    }

    @Test
    void emptyAndFullMasks() {
        ConnectedComponents empty = ConnectedComponents.label(BinaryMask.empty(3, 4));
        assertEquals(1, empty.count());
        assertEquals(12, empty.area(0));
        assertArrayEquals(new int[] {0, 0, 4, 3}, empty.box(0));
        ConnectedComponents full = ConnectedComponents.label(BinaryMask.parse("111", "111"));
        assertEquals(2, full.count());
        assertEquals(0, full.area(0));
        assertEquals(6, full.area(1));
        assertArrayEquals(new int[] {0, 0, 3, 2}, full.box(1));
        assertArrayEquals(new int[] {0, 0, 0, 0}, full.box(0));
    }

    @Test
    void labelsFollowTheFirstTwoByTwoBlockOfEachComponent() {
        // Pixel raster order would meet (0, 3) first; OpenCV's 2x2-block scan meets block (0, 0),
        // holding (1, 0), before block (0, 1), holding (0, 3).
        ConnectedComponents cc = ConnectedComponents.label(BinaryMask.parse(
                "0001",
                "1000"));
        assertEquals(1, cc.label(1, 0));
        assertEquals(2, cc.label(0, 3));
    }
}
