package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** torchvision nms / batched_nms semantics on hand-made boxes. */
class NmsTest {

    private static final float[] BOXES = {
        0, 0, 10, 10, // 0
        1, 1, 11, 11, // 1: IoU with 0 = 81 / 119 = 0.68
        50, 50, 60, 60, // 2
        0, 0, 10, 10, // 3: same as 0
    };

    @Test
    void suppressesAboveTheThresholdOnly() {
        float[] scores = {0.9f, 0.8f, 0.7f, 0.6f};
        assertArrayEquals(new int[] {0, 1, 2}, Nms.nms(BOXES, scores, 0.7));
        assertArrayEquals(new int[] {0, 2}, Nms.nms(BOXES, scores, 0.6));
    }

    @Test
    void iouEqualToTheThresholdIsKept() {
        float[] boxes = {0, 0, 4, 1, 0, 0, 2, 1}; // IoU 2 / 4 = 0.5
        assertArrayEquals(new int[] {0, 1}, Nms.nms(boxes, new float[] {1f, 0.5f}, 0.5));
        assertArrayEquals(new int[] {0}, Nms.nms(boxes, new float[] {1f, 0.5f}, 0.49));
    }

    @Test
    void batchedNmsKeepsAnIouEqualToTheThresholdOnBothPaths() {
        // IoU 3 / 4 = 0.75 exactly in float32; torchvision suppresses only when IoU > threshold
        float[] pair = {0, 0, 4, 1, 0, 0, 3, 1};
        assertArrayEquals(new int[] {0, 1}, Nms.batchedNms(pair, new float[] {1f, 0.5f}, new int[2], 0.75));
        int n = 1001; // above 1000 boxes: the per-category path
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        System.arraycopy(pair, 0, boxes, 0, 8);
        scores[0] = 1f;
        scores[1] = 0.5f;
        for (int i = 2; i < n; i++) {
            boxes[4 * i] = 10 * i;
            boxes[4 * i + 1] = 10;
            boxes[4 * i + 2] = 10 * i + 5;
            boxes[4 * i + 3] = 15;
            scores[i] = 0.25f;
        }
        int[] keep = Nms.batchedNms(boxes, scores, new int[n], 0.75);
        assertArrayEquals(new int[] {0, 1}, Arrays.copyOf(keep, 2));
        assertEquals(n, keep.length);
        assertEquals(n - 1, Nms.batchedNms(boxes, scores, new int[n], 0.74).length);
    }

    @Test
    void keptIndicesComeInScoreOrder() {
        float[] scores = {0.1f, 0.8f, 0.95f, 0.6f};
        // 1 goes first and suppresses 0 and 3 (0.68 > 0.5 and 0.68 > 0.5)
        assertArrayEquals(new int[] {2, 1}, Nms.nms(BOXES, scores, 0.5));
    }

    @Test
    void categoriesDoNotSuppressEachOther() {
        float[] scores = {0.9f, 0.8f, 0.7f, 0.6f};
        assertArrayEquals(new int[] {0, 2, 3}, Nms.batchedNms(BOXES, scores, new int[] {0, 0, 0, 1}, 0.6));
        assertArrayEquals(new int[] {0, 2}, Nms.batchedNms(BOXES, scores, new int[] {0, 0, 0, 0}, 0.6));
    }

    @Test
    void perCategoryPathAboveAThousandBoxesAgreesWithOneNms() {
        Random rnd = new Random(5);
        int n = 1200;
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            float x = rnd.nextInt(200);
            float y = rnd.nextInt(200);
            boxes[4 * i] = x;
            boxes[4 * i + 1] = y;
            boxes[4 * i + 2] = x + 5 + rnd.nextInt(30);
            boxes[4 * i + 3] = y + 5 + rnd.nextInt(30);
            scores[i] = (i * 7919 % n) / (float) n;
        }
        assertArrayEquals(Nms.nms(boxes, scores, 0.5), Nms.batchedNms(boxes, scores, new int[n], 0.5));
    }

    @Test
    void equalScoresAreVisitedInIndexOrder() {
        float[] boxes = {0, 0, 10, 10, 50, 50, 60, 60, 0, 0, 10, 10};
        // 0 and 2 are the same box with the same score: the lower index is kept, 1 comes between
        assertArrayEquals(new int[] {0, 1}, Nms.nms(boxes, new float[] {0.5f, 0.5f, 0.5f}, 0.7));
        assertArrayEquals(new int[] {1, 2}, Nms.nms(boxes, new float[] {0.4f, 0.5f, 0.5f}, 0.7));
    }

    @Test
    void noBoxes() {
        assertArrayEquals(new int[0], Nms.batchedNms(new float[0], new float[0], new int[0], 0.7));
    }
}
