package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsam.sam.Golden;
import dev.jsam.tensor.io.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares generated annotation dicts (the reference's keys, as {@link Annotations} or `sam amg
 * --convert-to-rle` writes them) with a golden AMG file's, mask by mask: same number and order, point,
 * crop box and bbox exact, predicted IoU within a bound, at most {@code pixelsPerMask} pixels of each
 * mask differing, the RLE string and area identical wherever the mask is, and the stability score
 * within what moving that many pixels across each of its two cutoffs can change. Shared by the sam and
 * cli tests; every problem is listed, not only the first.
 */
public final class AmgGolden {
    /**
     * How far one mask may be from the reference's.
     *
     * @param iouMaxAbs     predicted IoU, absolute
     * @param pixelsPerMask mask pixels that may differ, counted per mask; also the pixels per stability
     *                      cutoff whose move the stability bound allows
     */
    public record Bounds(double iouMaxAbs, int pixelsPerMask) {
        /**
         * A real model's logits carry the golden README's float tolerance (max abs 1e-4), so pixels
         * nearer a cutoff than that may flip: the README's 0.01 % of the mask's pixels, per mask.
         */
        public static Bounds model(int height, int width) {
            return new Bounds(Golden.IOU_MAX_ABS, (int) (Golden.MASK_PIXEL_FRACTION * height * width));
        }
    }

    private AmgGolden() {
    }

    /** The golden file's annotations, in order. */
    public static List<Map<String, Object>> annotations(Map<String, Object> golden) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<?>) golden.get("annotations")) {
            out.add(map(o));
        }
        return out;
    }

    /** Asserts {@code ours} matches {@code theirs} within {@code bounds}; the message lists every problem. */
    public static void assertMatches(List<Map<String, Object>> theirs, List<Map<String, Object>> ours, Bounds bounds) {
        assertEquals(theirs.size(), ours.size(), "number of masks");
        List<String> problems = new ArrayList<>();
        int differing = 0;
        for (int i = 0; i < ours.size(); i++) {
            String problem = compare(theirs.get(i), ours.get(i), bounds);
            if (problem != null) {
                problems.add("#" + i + ": " + problem);
            }
            differing += pixelsDiffering(theirs.get(i), ours.get(i)) > 0 ? 1 : 0;
        }
        System.out.println(ours.size() + " masks, " + differing + " not identical to the reference's");
        assertTrue(problems.isEmpty(), problems.size() + " of " + ours.size() + " masks out of bounds:\n"
                + String.join("\n", problems.subList(0, Math.min(20, problems.size()))));
    }

    /** What is wrong with one mask, or null. */
    private static String compare(Map<String, Object> ref, Map<String, Object> got, Bounds b) {
        for (String key : List.of("point_coords", "crop_box", "bbox")) {
            if (!Json.write(got.get(key)).equals(Json.write(ref.get(key)))) {
                return key + " " + Json.write(got.get(key)) + ", reference " + Json.write(ref.get(key));
            }
        }
        double iou = number(got, "predicted_iou");
        if (!(Math.abs(iou - number(ref, "predicted_iou")) <= b.iouMaxAbs())) {
            return "predicted_iou " + iou + ", reference " + ref.get("predicted_iou");
        }
        int diff = pixelsDiffering(ref, got);
        int area = (int) number(ref, "area");
        if (diff > b.pixelsPerMask()) {
            return diff + " pixels differ (bound " + b.pixelsPerMask() + ")";
        }
        if (diff == 0 && !(counts(got).equals(countsLike(ref, got)) && (int) number(got, "area") == area)) {
            return "the same mask, but another RLE or area";
        }
        // stability = I / U, I and U the pixel counts above the two cutoffs, U >= area: moving k pixels
        // across each cutoff changes it by at most k (1 + stability) / U <= k (1 + stability) / area
        double stability = number(ref, "stability_score");
        double stabilityBound = b.pixelsPerMask() * (1 + stability) / area;
        if (!(Math.abs(number(got, "stability_score") - stability) <= stabilityBound)) {
            return "stability_score " + got.get("stability_score") + ", reference " + stability + " (bound +-"
                    + stabilityBound + ")";
        }
        return null;
    }

    private static int pixelsDiffering(Map<String, Object> ref, Map<String, Object> got) {
        boolean[] a = rle(ref).toMask().data();
        boolean[] c = rle(got).toMask().data();
        int diff = 0;
        for (int k = 0; k < a.length; k++) {
            diff += a[k] != c[k] ? 1 : 0;
        }
        return diff + Math.abs(a.length - c.length);
    }

    /** An annotation's segmentation as an RLE: a COCO string or a list of counts. */
    static Rle rle(Map<String, Object> ann) {
        Map<String, Object> seg = map(ann.get("segmentation"));
        List<?> size = (List<?>) seg.get("size");
        int h = ((Number) size.get(0)).intValue();
        int w = ((Number) size.get(1)).intValue();
        Object counts = seg.get("counts");
        return counts instanceof String s ? CocoRle.decode(s, h, w)
                : new Rle(h, w, ((List<?>) counts).stream().mapToInt(x -> ((Number) x).intValue()).toArray());
    }

    private static String counts(Map<String, Object> ann) {
        return Json.write(map(ann.get("segmentation")).get("counts"));
    }

    /**
     * The reference's counts written in the form {@code like} uses: a COCO string of an uncompressed
     * golden mask is {@link CocoRle#encode}'s (itself held to pycocotools' strings by AmgGoldenTest).
     */
    private static String countsLike(Map<String, Object> ref, Map<String, Object> like) {
        boolean refString = map(ref.get("segmentation")).get("counts") instanceof String;
        boolean likeString = map(like.get("segmentation")).get("counts") instanceof String;
        return refString == likeString ? counts(ref)
                : likeString ? Json.write(CocoRle.encode(rle(ref))) : Json.write(java.util.Arrays.stream(rle(ref).counts()).boxed().toList());
    }

    private static double number(Map<String, Object> ann, String key) {
        return ((Number) ann.get(key)).doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
