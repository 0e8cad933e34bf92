package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** remove_small_regions on hand-made masks, including its background-label quirks. */
class SmallRegionsTest {

    @Test
    void fillsSmallHolesOnly() {
        BinaryMask m = BinaryMask.parse(
                "1111111",
                "1011001",
                "1111001",
                "1111111");
        SmallRegions.Result r = SmallRegions.remove(m, 2, SmallRegions.Mode.HOLES);
        assertTrue(r.changed());
        assertEquals(BinaryMask.parse(
                "1111111",
                "1111001",
                "1111001",
                "1111111"), r.mask());
    }

    @Test
    void aSmallFalseRegionAtTheBorderCountsAsAHole() {
        SmallRegions.Result r = SmallRegions.remove(BinaryMask.parse("011", "111", "111"), 2, SmallRegions.Mode.HOLES);
        assertTrue(r.changed());
        assertEquals(BinaryMask.parse("111", "111", "111"), r.mask());
    }

    @Test
    void removesSmallIslands() {
        BinaryMask m = BinaryMask.parse(
                "10000",
                "00011",
                "00111");
        SmallRegions.Result r = SmallRegions.remove(m, 3, SmallRegions.Mode.ISLANDS);
        assertTrue(r.changed());
        assertEquals(BinaryMask.parse(
                "00000",
                "00011",
                "00111"), r.mask());
    }

    @Test
    void keepsTheLargestWhenEveryIslandIsSmall() {
        BinaryMask m = BinaryMask.parse(
                "10011",
                "00000",
                "01000");
        SmallRegions.Result r = SmallRegions.remove(m, 10, SmallRegions.Mode.ISLANDS);
        assertTrue(r.changed());
        assertEquals(BinaryMask.parse(
                "00011",
                "00000",
                "00000"), r.mask());
    }

    @Test
    void firstLabelWinsATieForLargest() {
        SmallRegions.Result r = SmallRegions.remove(BinaryMask.parse("1001"), 5, SmallRegions.Mode.ISLANDS);
        assertEquals(BinaryMask.parse("1000"), r.mask());
    }

    @Test
    void nothingSmallLeavesTheMaskAlone() {
        BinaryMask m = BinaryMask.parse("110", "110");
        SmallRegions.Result r = SmallRegions.remove(m, 4, SmallRegions.Mode.ISLANDS);
        assertFalse(r.changed());
        assertSame(m, r.mask());
        assertFalse(SmallRegions.remove(BinaryMask.parse("111", "111"), 4, SmallRegions.Mode.HOLES).changed());
    }
}
