package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Random;
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
    void backgroundStatsCountTheFalsePixels() {
        ConnectedComponents hole = ConnectedComponents.label(BinaryMask.parse("111", "101", "111"));
        assertEquals(1, hole.area(0));
        assertArrayEquals(new int[] {1, 1, 1, 1}, hole.box(0));
        ConnectedComponents corner = ConnectedComponents.label(BinaryMask.parse("110", "111", "011"));
        assertEquals(2, corner.area(0));
        assertArrayEquals(new int[] {0, 0, 3, 3}, corner.box(0));
        ConnectedComponents edges = ConnectedComponents.label(BinaryMask.parse("0110", "1111"));
        assertEquals(2, edges.area(0));
        assertArrayEquals(new int[] {0, 0, 4, 1}, edges.box(0));
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

    @Test
    void randomMasksPartitionAsAFloodFillDoes() {
        Random rnd = new Random(17);
        for (int t = 0; t < 200; t++) {
            int h = 1 + rnd.nextInt(12);
            int w = 1 + rnd.nextInt(12);
            boolean[] d = new boolean[h * w];
            for (int i = 0; i < d.length; i++) {
                d[i] = rnd.nextInt(100) < 45;
            }
            ConnectedComponents cc = ConnectedComponents.label(new BinaryMask(h, w, d));
            int[] flood = floodFill(d, h, w);
            int total = 0;
            for (int i = 0; i < d.length; i++) {
                assertEquals(d[i], cc.labels()[i] != 0);
                for (int j = 0; j < d.length; j++) {
                    assertEquals(flood[i] == flood[j], cc.labels()[i] == cc.labels()[j]);
                }
            }
            for (int l = 0; l < cc.count(); l++) {
                total += cc.area(l);
            }
            assertEquals(h * w, total);
        }
    }

    /** Reference labelling by breadth-first search over the 8 neighbours; 0 for false pixels. */
    private static int[] floodFill(boolean[] d, int h, int w) {
        int[] lab = new int[d.length];
        int next = 1;
        for (int s = 0; s < d.length; s++) {
            if (!d[s] || lab[s] != 0) {
                continue;
            }
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            lab[s] = next;
            queue.add(s);
            while (!queue.isEmpty()) {
                int p = queue.poll();
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int y = p / w + dy;
                        int x = p % w + dx;
                        if (y >= 0 && y < h && x >= 0 && x < w && d[y * w + x] && lab[y * w + x] == 0) {
                            lab[y * w + x] = next;
                            queue.add(y * w + x);
                        }
                    }
                }
            }
            next++;
        }
        return lab;
    }
}
