package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reference's descending score sort: order, NaN and infinities, ties in index order. */
class TorchSortTest {

    @Test
    void descendingWithNaNFirst() {
        assertArrayEquals(new int[] {2, 1, 3, 0}, TorchSort.argsortDescending(new float[] {0.1f, 0.5f, Float.NaN, 0.2f}));
    }

    @Test
    void smallInputsKeepTiesInOrder() {
        float[] v = {1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2};
        assertArrayEquals(new int[] {1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 14}, TorchSort.argsortDescending(v));
    }

    @Test
    void tiesKeepTheirIndexOrderAtAnySize() {
        float[] v = new float[500];
        Arrays.fill(v, 0, 250, 0.5f);
        Arrays.fill(v, 250, 500, 0.25f);
        v[300] = 0.5f;
        int[] order = TorchSort.argsortDescending(v);
        assertEquals(0, order[0]);
        assertEquals(249, order[249]);
        assertEquals(300, order[250]);
        assertEquals(250, order[251]);
        assertEquals(499, order[499]);
    }

    @Test
    void infinitiesAndSignedZeros() {
        float[] v = {0f, Float.NEGATIVE_INFINITY, -0f, Float.POSITIVE_INFINITY, -1f, Float.NaN};
        assertArrayEquals(new int[] {5, 3, 0, 2, 4, 1}, TorchSort.argsortDescending(v));
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
