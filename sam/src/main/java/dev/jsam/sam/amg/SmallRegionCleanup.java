package dev.jsam.sam.amg;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The reference's {@code postprocess_small_regions}: fills small holes then removes small islands in
 * every mask, scores unchanged masks 1 and changed ones 0, reruns NMS on the new boxes so masks that
 * needed no fixing win, and keeps the new mask and box only for kept changed masks. Masks are
 * cleaned in parallel, each decoded only while it is worked on; changed ones are kept as RLEs.
 */
final class SmallRegionCleanup {
    private SmallRegionCleanup() {
    }

    static List<MaskRecord> apply(List<MaskRecord> records, int minArea, double nmsThresh) {
        if (records.isEmpty()) {
            return records;
        }
        int n = records.size();
        MaskRecord[] updated = new MaskRecord[n];
        boolean[] unchanged = new boolean[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            MaskRecord r = records.get(i);
            SmallRegions.Result holes = SmallRegions.remove(r.rle().toMask(), minArea, SmallRegions.Mode.HOLES);
            SmallRegions.Result islands = SmallRegions.remove(holes.mask(), minArea, SmallRegions.Mode.ISLANDS);
            unchanged[i] = !holes.changed() && !islands.changed();
            updated[i] = unchanged[i] ? r : r.withMask(Rle.fromMask(islands.mask()), Boxes.maskToBox(islands.mask()));
        });
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) {
                boxes[4 * i + k] = updated[i].box()[k];
            }
            scores[i] = unchanged[i] ? 1f : 0f;
        }
        return AutomaticMaskGenerator.select(Arrays.asList(updated),
                Nms.batchedNms(boxes, scores, new int[n], nmsThresh));
    }
}
