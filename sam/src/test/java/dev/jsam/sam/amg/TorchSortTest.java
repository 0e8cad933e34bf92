package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Torch's unstable descending sort: order, NaN handling and its tie order, traced by hand. */
class TorchSortTest {

    @Test
    void descendingWithNaNFirst() {
        assertArrayEquals(new int[] {2, 1, 3, 0}, TorchSort.argsortDescending(new float[] {0.1f, 0.5f, Float.NaN, 0.2f}));
    }

    @Test
    void upToSixteenElementsTiesKeepTheirOrder() {
        float[] v = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2};
        assertArrayEquals(new int[] {1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 14}, TorchSort.argsortDescending(v));
    }

    @Test
    void seventeenEqualValuesComeOutAsIntrosortLeavesThem() {
        // Median of (1, 8, 16) moved to the front, then the partition swaps pairs (1,16) .. (8,9)
        // and stops at 9; nothing moves after that since no element goes strictly before another.
        float[] v = new float[17];
        Arrays.fill(v, 0.5f);
        assertArrayEquals(new int[] {8, 16, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1},
                TorchSort.argsortDescending(v));
    }

    @Test
    void largeInputsAreSortedPermutations() {
        Random rnd = new Random(3);
        for (int n : new int[] {0, 1, 17, 100, 5000}) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextInt(7) / 7f;
            }
            int[] order = TorchSort.argsortDescending(v);
            boolean[] seen = new boolean[n];
            for (int k = 0; k < n; k++) {
                assertTrue(!seen[order[k]]);
                seen[order[k]] = true;
                if (k > 0) {
                    assertTrue(v[order[k - 1]] >= v[order[k]]);
                }
            }
        }
    }
}
