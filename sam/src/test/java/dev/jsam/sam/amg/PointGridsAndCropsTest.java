package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Point grids and crop boxes, worked out by hand from the reference's formulas. */
class PointGridsAndCropsTest {

    @Test
    void gridsAreCellCentresXFastest() {
        assertArrayEquals(new double[] {0.5, 0.5}, PointGrids.buildPointGrid(1));
        assertArrayEquals(new double[] {0.25, 0.25, 0.75, 0.25, 0.25, 0.75, 0.75, 0.75}, PointGrids.buildPointGrid(2));
        double[] g4 = PointGrids.buildPointGrid(4);
        assertArrayEquals(new double[] {0.125, 0.125, 0.375, 0.125, 0.625, 0.125, 0.875, 0.125}, java.util.Arrays.copyOf(g4, 8));
        assertEquals(0.875, g4[31]);
    }

    @Test
    void layersDivideThePointsPerSide() {
        double[][] grids = PointGrids.buildAllLayerPointGrids(16, 2, 2);
        assertEquals(3, grids.length);
        assertEquals(2 * 16 * 16, grids[0].length);
        assertEquals(2 * 8 * 8, grids[1].length);
        assertEquals(2 * 4 * 4, grids[2].length);
        assertEquals(2 * 5 * 5, PointGrids.buildAllLayerPointGrids(11, 1, 2)[1].length);
    }

    @Test
    void pointsScaleToTheCropThenShiftToTheImage() {
        // 8 per side: x = 1/16 + 5/8 = 0.6875, y = 1/16 + 4/8 = 0.5625 in a 491 x 358 crop
        double[] crop = PointGrids.scaleToCrop(new double[] {0.6875, 0.5625}, 358, 491);
        assertArrayEquals(new double[] {337.5625, 201.375}, crop);
        assertArrayEquals(new double[] {646.5625, 377.375}, PointGrids.uncrop(crop, new int[] {309, 176, 800, 534}));
    }

    @Test
    void oneLayerOfCropsOnTheDog() {
        // short side 534, overlap int(512/1500 * 534) = 182, crop w ceil(982/2) = 491, h ceil(716/2) = 358
        CropBoxes c = CropBoxes.generate(534, 800, 1, 512.0 / 1500);
        assertEquals(List.of(0, 1, 1, 1, 1), c.layerIdxs());
        int[][] expected = {{0, 0, 800, 534}, {0, 0, 491, 358}, {0, 176, 491, 534}, {309, 0, 800, 358}, {309, 176, 800, 534}};
        assertEquals(expected.length, c.boxes().size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], c.boxes().get(i), "box " + i);
        }
    }

    @Test
    void secondLayerClipsToTheImage() {
        // layer 2: overlap int(512/1500 * 534 * 0.5) = 91, w ceil(1073/4) = 269, h ceil(807/4) = 202
        CropBoxes c = CropBoxes.generate(534, 800, 2, 512.0 / 1500);
        assertEquals(1 + 4 + 16, c.boxes().size());
        assertArrayEquals(new int[] {0, 0, 269, 202}, c.boxes().get(5));
        assertArrayEquals(new int[] {0, 111, 269, 313}, c.boxes().get(6));
        assertArrayEquals(new int[] {534, 333, 800, 534}, c.boxes().get(20));
        assertEquals(2, c.layerIdxs().get(20));
    }

    @Test
    void noLayersIsJustTheImage() {
        CropBoxes c = CropBoxes.generate(10, 20, 0, 0.3);
        assertEquals(1, c.boxes().size());
        assertArrayEquals(new int[] {0, 0, 20, 10}, c.boxes().get(0));
    }
}
