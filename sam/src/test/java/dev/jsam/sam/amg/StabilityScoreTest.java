package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Stability score: strict comparisons, float32 quotient, 0/0 and the int16 row sums. */
class StabilityScoreTest {

    @Test
    void ratioOfStrictCountsAtBothCutoffs() {
        float[] logits = {2f, 0.5f, -0.5f, -2f, 1f, 1.5f};
        // > 1: {2, 1.5} (1 is not > 1); > -1: {2, 0.5, -0.5, 1, 1.5}
        assertEquals(0.4f, StabilityScore.compute(logits, 0, 2, 3, 0.0, 1.0));
    }

    @Test
    void readsOneMaskOutOfABatch() {
        float[] logits = {9f, 9f, 9f, 9f, 3f, -3f, 0.5f, 0.5f};
        // second 2x2 mask: > 1: {3}; > -1: {3, 0.5, 0.5}
        assertEquals(1f / 3f, StabilityScore.compute(logits, 4, 2, 2, 0.0, 1.0));
    }

    @Test
    void emptyUnionIsNaN() {
        assertTrue(Float.isNaN(StabilityScore.compute(new float[] {-5f, -5f}, 0, 1, 2, 0.0, 1.0)));
    }

    @Test
    void rowCountsWrapAt16Bits() {
        float[] row = new float[40000];
        Arrays.fill(row, 0, 33000, 5f);
        Arrays.fill(row, 33000, 40000, 0f);
        // int16 row sums: 33000 -> -32536, 40000 -> -25536
        assertEquals(-32536f / -25536f, StabilityScore.compute(row, 0, 1, 40000, 0.0, 1.0));
    }
}
