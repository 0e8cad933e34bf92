package dev.jsam.sam.amg;

import java.util.Arrays;

/**
 * Non-maximum suppression as torchvision 0.14's CPU {@code batched_nms}: XYXY float32 boxes, areas
 * (x1-x0)*(y1-y0) with no +1, IoU computed in float32, box j dropped when IoU > threshold with an
 * already kept box; boxes of different categories never suppress each other. Boxes are visited by
 * descending score, ties in index order (the kernel's stable sort). Above 1000 boxes torchvision
 * switches to its per-category path, which re-sorts the kept indices with torch's unstable sort
 * ({@link TorchSort#argsortDescending}); so does this, so ties may then come out in another order.
 * Stateless static methods: thread-safe.
 */
public final class Nms {
    private Nms() {
    }

    /** Plain {@code torchvision.ops.nms}: kept indices in visiting (descending score) order. */
    public static int[] nms(float[] boxes, float[] scores, double iouThreshold) {
        int n = scores.length;
        if (boxes.length != 4 * n) {
            throw new IllegalArgumentException(n + " scores but " + boxes.length / 4.0 + " boxes");
        }
        float[] areas = new float[n];
        for (int i = 0; i < n; i++) {
            areas[i] = (boxes[4 * i + 2] - boxes[4 * i]) * (boxes[4 * i + 3] - boxes[4 * i + 1]);
        }
        int[] order = TorchSort.stableArgsortDescending(scores);
        boolean[] suppressed = new boolean[n];
        int[] keep = new int[n];
        int kept = 0;
        for (int a = 0; a < n; a++) {
            int i = order[a];
            if (suppressed[i]) {
                continue;
            }
            keep[kept++] = i;
            float ix1 = boxes[4 * i];
            float iy1 = boxes[4 * i + 1];
            float ix2 = boxes[4 * i + 2];
            float iy2 = boxes[4 * i + 3];
            for (int b = a + 1; b < n; b++) {
                int j = order[b];
                if (suppressed[j]) {
                    continue;
                }
                float w = Math.max(0f, Math.min(ix2, boxes[4 * j + 2]) - Math.max(ix1, boxes[4 * j]));
                float h = Math.max(0f, Math.min(iy2, boxes[4 * j + 3]) - Math.max(iy1, boxes[4 * j + 1]));
                float inter = w * h;
                float iou = inter / (areas[i] + areas[j] - inter);
                if (iou > iouThreshold) {
                    suppressed[j] = true;
                }
            }
        }
        return Arrays.copyOf(keep, kept);
    }

    /** {@code torchvision.ops.batched_nms}: NMS within each category of {@code idxs}. */
    public static int[] batchedNms(float[] boxes, float[] scores, int[] idxs, double iouThreshold) {
        int n = scores.length;
        if (idxs.length != n) {
            throw new IllegalArgumentException(n + " scores but " + idxs.length + " categories");
        }
        if (n == 0) {
            return new int[0];
        }
        return 4 * n > 4000 ? vanilla(boxes, scores, idxs, iouThreshold) : coordinateTrick(boxes, scores, idxs, iouThreshold);
    }

    /** Shifts each category's boxes past all others' (offset = category * (max coordinate + 1)), one NMS. */
    private static int[] coordinateTrick(float[] boxes, float[] scores, int[] idxs, double iouThreshold) {
        float max = Float.NEGATIVE_INFINITY;
        for (float b : boxes) {
            max = Math.max(max, b);
        }
        float[] shifted = new float[boxes.length];
        for (int i = 0; i < scores.length; i++) {
            float offset = idxs[i] * (max + 1f);
            for (int k = 0; k < 4; k++) {
                shifted[4 * i + k] = boxes[4 * i + k] + offset;
            }
        }
        return nms(shifted, scores, iouThreshold);
    }

    /** NMS per category, then the kept indices (ascending) re-sorted by score with torch's sort. */
    private static int[] vanilla(float[] boxes, float[] scores, int[] idxs, double iouThreshold) {
        int n = scores.length;
        boolean[] keepMask = new boolean[n];
        int[] categories = Arrays.stream(idxs).distinct().sorted().toArray();
        for (int c : categories) {
            int[] members = new int[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (idxs[i] == c) {
                    members[m++] = i;
                }
            }
            float[] b = new float[4 * m];
            float[] s = new float[m];
            for (int k = 0; k < m; k++) {
                System.arraycopy(boxes, 4 * members[k], b, 4 * k, 4);
                s[k] = scores[members[k]];
            }
            for (int k : nms(b, s, iouThreshold)) {
                keepMask[members[k]] = true;
            }
        }
        int[] keptIdx = new int[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (keepMask[i]) {
                keptIdx[kept++] = i;
            }
        }
        float[] keptScores = new float[kept];
        for (int k = 0; k < kept; k++) {
            keptScores[k] = scores[keptIdx[k]];
        }
        int[] order = TorchSort.argsortDescending(keptScores);
        int[] out = new int[kept];
        for (int k = 0; k < kept; k++) {
            out[k] = keptIdx[order[k]];
        }
        return out;
    }
}
