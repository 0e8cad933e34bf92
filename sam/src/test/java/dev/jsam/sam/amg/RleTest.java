package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Uncompressed RLE: hand-worked column-major run lengths, round trips and cropping. */
class RleTest {

    @Test
    void runsAreColumnMajorStartingWithFalse() {
        // columns top to bottom: (0,1) (1,1) (1,0) -> 0 | 1 1 1 1 | 0
        Rle rle = Rle.fromMask(BinaryMask.parse("011", "110"));
        assertArrayEquals(new int[] {1, 4, 1}, rle.counts());
        assertEquals(4, rle.area());
        assertEquals(2, rle.height());
        assertEquals(3, rle.width());
    }

    @Test
    void maskStartingWithTrueGetsAnEmptyFirstRun() {
        assertArrayEquals(new int[] {0, 1, 3}, Rle.fromMask(BinaryMask.parse("10", "00")).counts());
        assertArrayEquals(new int[] {0, 4}, Rle.fromMask(BinaryMask.parse("11", "11")).counts());
        assertArrayEquals(new int[] {4}, Rle.fromMask(BinaryMask.parse("00", "00")).counts());
        assertEquals(0, Rle.fromMask(BinaryMask.parse("00", "00")).area());
    }

    @Test
    void decodesBackToRowMajor() {
        BinaryMask m = new Rle(2, 3, new int[] {1, 4, 1}).toMask();
        assertEquals(BinaryMask.parse("011", "110"), m);
    }

    @Test
    void randomMasksRoundTrip() {
        Random rnd = new Random(7);
        for (int t = 0; t < 50; t++) {
            int h = 1 + rnd.nextInt(9);
            int w = 1 + rnd.nextInt(9);
            boolean[] d = new boolean[h * w];
            for (int i = 0; i < d.length; i++) {
                d[i] = rnd.nextInt(3) == 0;
            }
            BinaryMask m = new BinaryMask(h, w, d);
            Rle rle = Rle.fromMask(m);
            assertEquals(m, rle.toMask());
            assertEquals(m.area(), rle.area());
        }
    }

    @Test
    void encodingACropEqualsEncodingThePaddedMask() {
        BinaryMask crop = BinaryMask.parse("101", "011");
        BinaryMask padded = crop.uncrop(new int[] {1, 2, 4, 4}, 5, 4);
        assertEquals(BinaryMask.parse(
                "0000",
                "0000",
                "0101",
                "0011",
                "0000"), padded);
        Rle direct = Rle.fromCrop(crop.data(), 2, 3, 1, 2, 5, 4);
        assertEquals(Rle.fromMask(padded), direct);
        // column 0: 5 false; column 1: rows 2,3 = 1,0; column 2: 0,1; column 3: 1,1
        assertArrayEquals(new int[] {7, 1, 5, 1, 3, 2, 1}, direct.counts());
    }

    @Test
    void uncropOfTheWholeImageIsTheSameMask() {
        BinaryMask m = BinaryMask.parse("10", "01");
        assertEquals(m, m.uncrop(new int[] {0, 0, 2, 2}, 2, 2));
    }
}
