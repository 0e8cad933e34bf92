package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two descending sorts: order, NaN and infinities, and their tie orders (the unstable one traced by hand). */
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
    void stableSortKeepsTiesInIndexOrderAtAnySize() {
        float[] v = new float[500];
        Arrays.fill(v, 0, 250, 0.5f);
        Arrays.fill(v, 250, 500, 0.25f);
        v[300] = 0.5f;
        int[] order = TorchSort.stableArgsortDescending(v);
        assertEquals(0, order[0]);
        assertEquals(249, order[249]);
        assertEquals(300, order[250]);
        assertEquals(250, order[251]);
        assertEquals(499, order[499]);
    }

    @Test
    void stableSortOrdersNaNInfinitiesAndSignedZeros() {
        float[] v = {0f, Float.NEGATIVE_INFINITY, -0f, Float.POSITIVE_INFINITY, -1f, Float.NaN};
        assertArrayEquals(new int[] {5, 3, 0, 2, 4, 1}, TorchSort.stableArgsortDescending(v));
    }

    @Test
    void largeInputsAreSortedPermutations() {
        Random rnd = new Random(3);
        for (int n : new int[] {0, 1, 17, 100, 5000}) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextInt(7) / 7f;
            }
            checkSortedPermutation(v, TorchSort.argsortDescending(v));
            checkSortedPermutation(v, TorchSort.stableArgsortDescending(v));
        }
    }

    private static void checkSortedPermutation(float[] v, int[] order) {
        boolean[] seen = new boolean[v.length];
        for (int k = 0; k < v.length; k++) {
            assertTrue(!seen[order[k]]);
            seen[order[k]] = true;
            if (k > 0) {
                assertTrue(v[order[k - 1]] >= v[order[k]]);
            }
        }
    }
}
