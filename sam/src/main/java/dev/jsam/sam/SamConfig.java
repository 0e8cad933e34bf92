package dev.jsam.sam;

import dev.jsam.sam.modeling.ImageEncoderConfig;
import dev.jsam.sam.modeling.MaskDecoderConfig;
import dev.jsam.sam.modeling.PromptEncoderConfig;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * The model registry (build_sam.py): vit_b, vit_l, vit_h and default (= vit_h) with the
 * reference's hyper-parameters, and {@link #infer} which reads a configuration off a
 * checkpoint's tensor shapes so that any SAM-structured checkpoint loads without naming it.
 * Immutable, thread-safe.
 */
public record SamConfig(String name, ImageEncoderConfig imageEncoder, PromptEncoderConfig promptEncoder,
                        MaskDecoderConfig maskDecoder) {

    // ref: build_sam.py _build_sam @ dca509f
    public static final int PROMPT_EMBED_DIM = 256;
    public static final int IMAGE_SIZE = 1024;
    public static final int VIT_PATCH_SIZE = 16;
    public static final int MASK_IN_CHANS = 16;
    public static final int DECODER_HEADS = 8;
    private static final int MLP_RATIO = 4;
    private static final int WINDOW_SIZE = 14;

    public static SamConfig vitB() {
        return build("vit_b", 768, 12, 12, new int[] {2, 5, 8, 11});
    }

    public static SamConfig vitL() {
        return build("vit_l", 1024, 24, 16, new int[] {5, 11, 17, 23});
    }

    public static SamConfig vitH() {
        return build("vit_h", 1280, 32, 16, new int[] {7, 15, 23, 31});
    }

    /** vit_b, vit_l, vit_h, or default (= vit_h), as sam_model_registry. */
    public static SamConfig byName(String name) {
        return switch (name) {
            case "vit_b" -> vitB();
            case "vit_l" -> vitL();
            case "vit_h", "default" -> vitH();
            default -> throw new IllegalArgumentException("unknown model type \"" + name
                    + "\": expected vit_b, vit_l, vit_h or default");
        };
    }

    private static SamConfig build(String name, int embedDim, int depth, int heads, int[] global) {
        ImageEncoderConfig enc = new ImageEncoderConfig(IMAGE_SIZE, VIT_PATCH_SIZE, 3, embedDim, depth, heads,
                embedDim * MLP_RATIO, PROMPT_EMBED_DIM, true, true, WINDOW_SIZE, global);
        PromptEncoderConfig pe = new PromptEncoderConfig(PROMPT_EMBED_DIM, IMAGE_SIZE / VIT_PATCH_SIZE, IMAGE_SIZE,
                MASK_IN_CHANS);
        MaskDecoderConfig dec = new MaskDecoderConfig(PROMPT_EMBED_DIM, 2, DECODER_HEADS, 2048, 3, 3, 256);
        return new SamConfig(name, enc, pe, dec);
    }

    /**
     * Reads the configuration off a state_dict's shapes: widths from the weight matrices, depths
     * from the block indices, head counts from the relative-position tables (their second dim is
     * the head dim), global blocks from the table length (2 * grid - 1 vs 2 * window - 1). The
     * decoder's head count cannot be seen in shapes; it is the reference's 8.
     */
    public static SamConfig infer(Map<String, int[]> shapes) {
        int[] patch = need(shapes, "image_encoder.patch_embed.proj.weight", 4);
        int embedDim = patch[0];
        int inChans = patch[1];
        int patchSize = patch[2];
        int grid = need(shapes, "image_encoder.pos_embed", 4)[1];
        int depth = countIndexed(shapes, "image_encoder.blocks.");
        if (depth == 0) {
            throw new IllegalArgumentException("checkpoint has no image_encoder.blocks.* tensors: not a SAM checkpoint?");
        }
        int[] relGlobal = need(shapes, "image_encoder.blocks.0.attn.rel_pos_h", 2);
        int headDim = relGlobal[1];
        int windowSize = 0;
        var global = new TreeSet<Integer>();
        for (int b = 0; b < depth; b++) {
            int len = need(shapes, "image_encoder.blocks." + b + ".attn.rel_pos_h", 2)[0];
            if (len == 2 * grid - 1) {
                global.add(b);
            } else {
                windowSize = (len + 1) / 2;
            }
        }
        int mlpDim = need(shapes, "image_encoder.blocks.0.mlp.lin1.weight", 2)[0];
        int outChans = need(shapes, "image_encoder.neck.0.weight", 4)[0];
        boolean qkvBias = shapes.containsKey("image_encoder.blocks.0.attn.qkv.bias");
        ImageEncoderConfig enc = new ImageEncoderConfig(grid * patchSize, patchSize, inChans, embedDim, depth,
                embedDim / headDim, mlpDim, outChans, qkvBias, true, windowSize == 0 ? WINDOW_SIZE : windowSize,
                global.stream().mapToInt(Integer::intValue).toArray());

        int promptDim = need(shapes, "prompt_encoder.no_mask_embed.weight", 2)[1];
        int maskInChans = need(shapes, "prompt_encoder.mask_downscaling.3.weight", 4)[0];
        PromptEncoderConfig pe = new PromptEncoderConfig(promptDim, grid, grid * patchSize, maskInChans);

        int decDepth = countIndexed(shapes, "mask_decoder.transformer.layers.");
        int decMlp = need(shapes, "mask_decoder.transformer.layers.0.mlp.lin1.weight", 2)[0];
        int maskTokens = need(shapes, "mask_decoder.mask_tokens.weight", 2)[0];
        int iouDepth = countIndexed(shapes, "mask_decoder.iou_prediction_head.layers.");
        int iouHidden = need(shapes, "mask_decoder.iou_prediction_head.layers.0.weight", 2)[0];
        MaskDecoderConfig dec = new MaskDecoderConfig(promptDim, decDepth, DECODER_HEADS, decMlp, maskTokens - 1,
                iouDepth, iouHidden);
        return new SamConfig(guessName(enc), enc, pe, dec);
    }

    private static String guessName(ImageEncoderConfig enc) {
        for (SamConfig c : new SamConfig[] {vitB(), vitL(), vitH()}) {
            if (c.imageEncoder.equals(enc)) {
                return c.name;
            }
        }
        return "custom (embed_dim " + enc.embedDim() + ", depth " + enc.depth() + ")";
    }

    private static int[] need(Map<String, int[]> shapes, String key, int rank) {
        int[] s = shapes.get(key);
        if (s == null) {
            throw new IllegalArgumentException("cannot infer the SAM configuration: checkpoint has no tensor " + key);
        }
        if (s.length != rank) {
            throw new IllegalArgumentException("tensor " + key + " has shape " + Arrays.toString(s) + ", expected rank " + rank);
        }
        return s;
    }

    private static int countIndexed(Map<String, int[]> shapes, String prefix) {
        int n = 0;
        while (true) {
            String p = prefix + n + ".";
            if (shapes.keySet().stream().noneMatch(k -> k.startsWith(p))) {
                return n;
            }
            n++;
        }
    }
}
