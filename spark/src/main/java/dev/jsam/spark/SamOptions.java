package dev.jsam.spark;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options of a job, as string key/value pairs in the style of Spark's readers: the checkpoint,
 * the device, how images are read, every segment-everything parameter under the reference's name
 * (points_per_side, pred_iou_thresh ...) with its memory budget, and multimask_output and
 * hq_token_only for prompts. Values are checked as `sam amg` and `sam predict` check their flags;
 * a bad one is an IllegalArgumentException naming the key. Immutable, serializable.
 */
public final class SamOptions implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The option keys, with what each means and its default, in the order the help lists them. */
    static final Map<String, String> KEYS;
    /** The keys that only segment everything reads. */
    static final Set<String> AMG_KEYS = Set.of("points_per_side", "points_per_batch", "pred_iou_thresh",
            "stability_score_thresh", "stability_score_offset", "box_nms_thresh", "crop_n_layers", "crop_nms_thresh",
            "crop_overlap_ratio", "crop_n_points_downscale_factor", "min_mask_region_area", "memory_mb");
    /** The keys that only prompts read. */
    static final Set<String> PROMPT_KEYS = Set.of("multimask_output", "hq_token_only");

    static {
        AmgSettings d = SamLibrary.defaults();
        Map<String, String> k = new LinkedHashMap<>();
        k.put("checkpoint", "the model, a safetensors or PyTorch .pth file every executor can read (required)");
        k.put("device", "cpu, cpu-reference, or cuda[:N] with jsam-kernels on the class path (cpu)");
        k.put("ignore_exif_orientation", "use the pixels as stored instead of turning photos upright by their EXIF"
                + " orientation (false)");
        k.put("points_per_side", "the point grid is N x N (" + d.pointsPerSide() + ")");
        k.put("points_per_batch", "points the model runs at once (" + d.pointsPerBatch() + ")");
        k.put("pred_iou_thresh", "keep masks whose predicted IoU is above T (" + d.predIouThresh() + ")");
        k.put("stability_score_thresh", "keep masks whose stability score is above T (" + d.stabilityScoreThresh() + ")");
        k.put("stability_score_offset", "logit offset of the stability score (" + d.stabilityScoreOffset() + ")");
        k.put("box_nms_thresh", "box IoU above which duplicates are dropped (" + d.boxNmsThresh() + ")");
        k.put("crop_n_layers", "also run on crops, 0.." + SamLibrary.MAX_CROP_LAYERS + " (" + d.cropNLayers() + ")");
        k.put("crop_nms_thresh", "box IoU between crops' masks above which duplicates are dropped (" + d.cropNmsThresh() + ")");
        k.put("crop_overlap_ratio", "overlap of neighbouring crops, 0 <= R < 1 (0.3413)");
        k.put("crop_n_points_downscale_factor", "layer i samples points_per_side / F^i (" + d.cropNPointsDownscaleFactor() + ")");
        k.put("min_mask_region_area", "remove islands and holes smaller than A pixels (" + d.minMaskRegionArea() + ")");
        k.put("memory_mb", "heap one task may use for an image; an image that would need more is an error row"
                + " (the JVM's maximum heap)");
        k.put("multimask_output", "prompts: three masks per prompt, or one when false (true)");
        k.put("hq_token_only", "prompts, HQ-SAM: the HQ token's mask alone, not added to SAM's (false)");
        KEYS = Collections.unmodifiableMap(k);
    }

    private final String checkpoint;
    private final String device;
    private final boolean ignoreExifOrientation;
    private final AmgSettings amg;
    private final int memoryMb;
    private final boolean multimaskOutput;
    private final boolean hqTokenOnly;

    private SamOptions(String checkpoint, String device, boolean ignoreExifOrientation, AmgSettings amg, int memoryMb,
                       boolean multimaskOutput, boolean hqTokenOnly) {
        this.checkpoint = checkpoint;
        this.device = device;
        this.ignoreExifOrientation = ignoreExifOrientation;
        this.amg = amg;
        this.memoryMb = memoryMb;
        this.multimaskOutput = multimaskOutput;
        this.hqTokenOnly = hqTokenOnly;
    }

    /**
     * Reads the options; keys not given take the reference's defaults.
     *
     * @throws IllegalArgumentException for an unknown key, a missing checkpoint, or a value that is
     *                                  malformed or out of range, in one line naming the key
     */
    public static SamOptions of(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!KEYS.containsKey(key)) {
                throw new IllegalArgumentException("unknown option " + key + "; the options are " + String.join(", ", KEYS.keySet()));
            }
        }
        String checkpoint = options.get("checkpoint");
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException("checkpoint is required: a safetensors or .pth file every executor can read");
        }
        Reader r = new Reader(options);
        AmgSettings d = SamLibrary.defaults();
        int layers = r.integer("crop_n_layers", d.cropNLayers(), 0, SamLibrary.MAX_CROP_LAYERS);
        double overlap = r.decimal("crop_overlap_ratio", d.cropOverlapRatio());
        if (overlap < 0 || overlap >= 1) {
            throw new IllegalArgumentException("crop_overlap_ratio must be in [0, 1), got " + overlap);
        }
        AmgSettings amg = new AmgSettings(
                r.integer("points_per_side", d.pointsPerSide(), 1, Integer.MAX_VALUE),
                r.integer("points_per_batch", d.pointsPerBatch(), 1, Integer.MAX_VALUE),
                r.decimal("pred_iou_thresh", d.predIouThresh()),
                r.decimal("stability_score_thresh", d.stabilityScoreThresh()),
                r.decimal("stability_score_offset", d.stabilityScoreOffset()),
                r.decimal("box_nms_thresh", d.boxNmsThresh()),
                layers,
                r.decimal("crop_nms_thresh", d.cropNmsThresh()),
                overlap,
                r.integer("crop_n_points_downscale_factor", d.cropNPointsDownscaleFactor(), 1, Integer.MAX_VALUE),
                r.integer("min_mask_region_area", d.minMaskRegionArea(), 0, Integer.MAX_VALUE));
        String device = options.getOrDefault("device", "cpu").strip();
        return new SamOptions(checkpoint.strip(), device.isEmpty() ? "cpu" : device, r.bool("ignore_exif_orientation", false),
                amg, r.integer("memory_mb", 0, 1, Integer.MAX_VALUE), r.bool("multimask_output", true),
                r.bool("hq_token_only", false));
    }

    public String checkpoint() {
        return checkpoint;
    }

    public String device() {
        return device;
    }

    public boolean ignoreExifOrientation() {
        return ignoreExifOrientation;
    }

    AmgSettings amg() {
        return amg;
    }

    /** memory_mb, or 0 when not given. */
    int memoryMb() {
        return memoryMb;
    }

    /** The heap a task may use for one image in bytes: memory_mb, or this JVM's maximum heap when not given. */
    long memoryBytes() {
        return memoryMb > 0 ? (long) memoryMb << 20 : Runtime.getRuntime().maxMemory();
    }

    public boolean multimaskOutput() {
        return multimaskOutput;
    }

    public boolean hqTokenOnly() {
        return hqTokenOnly;
    }

    /** A whole number in min..max (max: no upper bound); else an IllegalArgumentException naming {@code name}. */
    static int integer(String name, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be " + (max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max)
                    + ", got " + n);
        }
        return n;
    }

    /** Typed reads of the option strings, each failing in one line that names the key. */
    private record Reader(Map<String, String> options) {
        int integer(String key, int dflt, int min, int max) {
            String v = options.get(key);
            return v == null ? dflt : SamOptions.integer(key, v, min, max);
        }

        double decimal(String key, double dflt) {
            String v = options.get(key);
            if (v == null) {
                return dflt;
            }
            try {
                double d = Double.parseDouble(v.strip());
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(key + " must be a finite number, got '" + v + "'");
        }

        boolean bool(String key, boolean dflt) {
            String v = options.get(key);
            if (v == null) {
                return dflt;
            }
            return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException(key + " must be true or false, got '" + v + "'");
            };
        }
    }
}
