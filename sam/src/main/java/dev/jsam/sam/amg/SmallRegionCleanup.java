package dev.jsam.sam.amg;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference's {@code postprocess_small_regions}: fills small holes then removes small islands in
 * every mask, scores unchanged masks 1 and changed ones 0, reruns NMS on the new boxes so masks that
 * needed no fixing win, and keeps the new mask and box only for kept changed masks. Holds the
 * changed masks as RLEs, never all masks decoded at once.
 */
final class SmallRegionCleanup {
    private SmallRegionCleanup() {
    }

    static List<MaskRecord> apply(List<MaskRecord> records, int minArea, double nmsThresh) {
        if (records.isEmpty()) {
            return records;
        }
        int n = records.size();
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        List<MaskRecord> updated = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MaskRecord r = records.get(i);
            SmallRegions.Result holes = SmallRegions.remove(r.rle().toMask(), minArea, SmallRegions.Mode.HOLES);
            SmallRegions.Result islands = SmallRegions.remove(holes.mask(), minArea, SmallRegions.Mode.ISLANDS);
            boolean unchanged = !holes.changed() && !islands.changed();
            int[] box = Boxes.maskToBox(islands.mask());
            for (int k = 0; k < 4; k++) {
                boxes[4 * i + k] = box[k];
            }
            scores[i] = unchanged ? 1f : 0f;
            updated.add(unchanged ? r : r.withMask(Rle.fromMask(islands.mask()), box));
        }
        return AutomaticMaskGenerator.select(updated, Nms.batchedNms(boxes, scores, new int[n], nmsThresh));
    }
}
