package dev.jsam.sam.amg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference's output records ({@code generate}'s list of dicts) built from {@link MaskRecord}s,
 * with its keys in its order: segmentation, area, bbox (XYWH), predicted_iou, point_coords,
 * stability_score, crop_box (XYWH). Values are plain Java (Integer, Double, List, Map, String) ready
 * for a JSON writer, except a binary-mask segmentation, which is a {@link BinaryMask}.
 * Stateless static methods: thread-safe.
 */
public final class Annotations {
    /** The reference's {@code output_mode}s. */
    public enum OutputMode { BINARY_MASK, UNCOMPRESSED_RLE, COCO_RLE }

    private Annotations() {
    }

    /**
     * A record's mask in an output mode: a {@link BinaryMask}, or {@code {"size": [h, w], "counts": ...}}
     * with the counts as a list of run lengths (uncompressed) or a COCO string.
     */
    public static Object segmentation(MaskRecord r, OutputMode mode) {
        if (mode == OutputMode.BINARY_MASK) {
            return r.rle().toMask();
        }
        Map<String, Object> seg = new LinkedHashMap<>();
        seg.put("size", List.of(r.rle().height(), r.rle().width()));
        if (mode == OutputMode.COCO_RLE) {
            seg.put("counts", CocoRle.encode(r.rle()));
        } else {
            List<Integer> counts = new ArrayList<>(r.rle().counts().length);
            for (int c : r.rle().counts()) {
                counts.add(c);
            }
            seg.put("counts", counts);
        }
        return seg;
    }

    /** One record as the reference's annotation dict. */
    public static Map<String, Object> of(MaskRecord r, OutputMode mode) {
        Map<String, Object> ann = new LinkedHashMap<>();
        ann.put("segmentation", segmentation(r, mode));
        ann.put("area", r.area());
        ann.put("bbox", ints(r.bboxXywh()));
        ann.put("predicted_iou", (double) r.predictedIou());
        ann.put("point_coords", List.of(List.of(r.point()[0], r.point()[1])));
        ann.put("stability_score", (double) r.stabilityScore());
        ann.put("crop_box", ints(r.cropBoxXywh()));
        return ann;
    }

    /** Every record, in order. */
    public static List<Map<String, Object>> of(List<MaskRecord> records, OutputMode mode) {
        List<Map<String, Object>> out = new ArrayList<>(records.size());
        for (MaskRecord r : records) {
            out.add(of(r, mode));
        }
        return out;
    }

    private static List<Integer> ints(int[] a) {
        List<Integer> out = new ArrayList<>(a.length);
        for (int v : a) {
            out.add(v);
        }
        return out;
    }
}
