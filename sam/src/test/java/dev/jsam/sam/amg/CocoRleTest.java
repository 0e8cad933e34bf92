package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** COCO RLE strings worked out by hand from pycocotools' 5-bit, delta-from-two-back scheme. */
class CocoRleTest {

    @Test
    void smallRunsAreOneCharacterEach() {
        assertEquals("141", CocoRle.encode(new Rle(2, 3, new int[] {1, 4, 1})));
    }

    @Test
    void largeRunsAndNegativeDeltas() {
        // 40 = 0b1_01000: low group 8 with "more" (0x20) -> 'X', then 1 -> '1'.
        // 4th run 10 is written as 10 - 40 = -30: groups 2 (more) -> 'R', then 31 (sign set) -> 'O'.
        Rle rle = new Rle(53, 1, new int[] {0, 40, 3, 10});
        assertEquals("0X13RO", CocoRle.encode(rle));
        assertArrayEquals(new int[] {0, 40, 3, 10}, CocoRle.decode("0X13RO", 53, 1).counts());
    }

    @Test
    void randomRoundTrips() {
        Random rnd = new Random(11);
        for (int t = 0; t < 200; t++) {
            int n = 1 + rnd.nextInt(12);
            int[] counts = new int[n];
            int sum = 0;
            for (int i = 0; i < n; i++) {
                counts[i] = (i == 0 || rnd.nextBoolean()) ? rnd.nextInt(3) : rnd.nextInt(1 << (1 + rnd.nextInt(20)));
                if (i > 0 && counts[i] == 0) {
                    counts[i] = 1;
                }
                sum += counts[i];
            }
            Rle rle = new Rle(sum, 1, counts);
            String s = CocoRle.encode(rle);
            assertEquals(rle, CocoRle.decode(s, sum, 1), s);
        }
    }
}
