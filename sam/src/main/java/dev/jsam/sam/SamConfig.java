package dev.jsam.sam;

import dev.jsam.sam.modeling.EncoderConfig;
import dev.jsam.sam.modeling.ImageEncoderConfig;
import dev.jsam.sam.modeling.MaskDecoderConfig;
import dev.jsam.sam.modeling.PromptEncoderConfig;
import dev.jsam.sam.modeling.TinyViTConfig;

import java.util.List;
import java.util.Map;

/**
 * The model registry (build_sam.py of SAM, MobileSAM and HQ-SAM): vit_b, vit_l, vit_h and default
 * (= vit_h); vit_t (MobileSAM: TinyViT in front of SAM's decoder); hq_vit_b, hq_vit_l, hq_vit_h
 * and hq_vit_t (HQ-SAM's decoder behind each encoder), with the references' hyper-parameters.
 * {@link #infer} reads the family and size off a checkpoint's keys and shapes, so that any
 * checkpoint of these families loads without naming it. Immutable, thread-safe.
 */
public record SamConfig(String name, EncoderConfig imageEncoder, PromptEncoderConfig promptEncoder,
                        MaskDecoderConfig maskDecoder) {

    // ref: build_sam.py _build_sam @ dca509f
    public static final int PROMPT_EMBED_DIM = 256;
    public static final int IMAGE_SIZE = 1024;
    public static final int VIT_PATCH_SIZE = 16;
    public static final int MASK_IN_CHANS = 16;
    public static final int DECODER_HEADS = 8;
    private static final int MLP_RATIO = 4;
    private static final int WINDOW_SIZE = 14;
    private static final String HQ = "hq_";
    private static final List<String> NAMES = List.of("vit_b", "vit_l", "vit_h", "default", "vit_t", "hq_vit_b",
            "hq_vit_l", "hq_vit_h", "hq_vit_t");

    public static SamConfig vitB() {
        return build("vit_b", 768, 12, 12, new int[] {2, 5, 8, 11});
    }

    public static SamConfig vitL() {
        return build("vit_l", 1024, 24, 16, new int[] {5, 11, 17, 23});
    }

    public static SamConfig vitH() {
        return build("vit_h", 1280, 32, 16, new int[] {7, 15, 23, 31});
    }

    /** MobileSAM (mobile_sam/build_sam.py build_sam_vit_t): TinyViT-5M and SAM's prompt encoder and decoder. */
    public static SamConfig vitT() {
        return new SamConfig("vit_t", TinyViTConfig.mobileSam(), samPromptEncoder(), samDecoder());
    }

    /**
     * HQ-SAM (SysCV/sam-hq build_sam.py) on the given encoder's configuration: the same encoder,
     * HQ-SAM's decoder fusing its intermediate embedding (vit_dim: the ViT's width, TinyViT's
     * third-stage width).
     */
    public static SamConfig hq(SamConfig base) {
        if (base.maskDecoder.hq()) {
            return base;
        }
        int vitDim = switch (base.imageEncoder) {
            case ImageEncoderConfig vit -> vit.embedDim();
            case TinyViTConfig tiny -> tiny.embedDims()[2];
        };
        return new SamConfig(HQ + base.name, base.imageEncoder, base.promptEncoder, base.maskDecoder.withHq(vitDim));
    }

    /** One of {@code vit_b, vit_l, vit_h, default, vit_t, hq_vit_b, hq_vit_l, hq_vit_h, hq_vit_t}. */
    public static SamConfig byName(String name) {
        if (name.startsWith(HQ) && !name.substring(HQ.length()).equals("default") && NAMES.contains(name)) {
            return hq(byName(name.substring(HQ.length())));
        }
        return switch (name) {
            case "vit_b" -> vitB();
            case "vit_l" -> vitL();
            case "vit_h", "default" -> vitH();
            case "vit_t" -> vitT();
            default -> throw new IllegalArgumentException("unknown model type \"" + name + "\": expected one of "
                    + String.join(", ", NAMES));
        };
    }

    /** Whether the mask decoder is HQ-SAM's (one mask per prompt, an HQ output token). */
    public boolean hq() {
        return maskDecoder.hq();
    }

    private static SamConfig build(String name, int embedDim, int depth, int heads, int[] global) {
        ImageEncoderConfig enc = new ImageEncoderConfig(IMAGE_SIZE, VIT_PATCH_SIZE, 3, embedDim, depth, heads,
                embedDim * MLP_RATIO, PROMPT_EMBED_DIM, true, true, WINDOW_SIZE, global);
        return new SamConfig(name, enc, samPromptEncoder(), samDecoder());
    }

    private static PromptEncoderConfig samPromptEncoder() {
        return new PromptEncoderConfig(PROMPT_EMBED_DIM, IMAGE_SIZE / VIT_PATCH_SIZE, IMAGE_SIZE, MASK_IN_CHANS);
    }

    private static MaskDecoderConfig samDecoder() {
        return new MaskDecoderConfig(PROMPT_EMBED_DIM, 2, DECODER_HEADS, 2048, 3, 3, 256);
    }

    /**
     * Reads the configuration off a state_dict's keys and shapes. The family comes from the keys:
     * SAM's ViT (image_encoder.patch_embed.proj) or MobileSAM's TinyViT (image_encoder.patch_embed.seq),
     * and HQ-SAM's decoder (mask_decoder.hf_token); the sizes from the shapes (see
     * {@link CheckpointShapes}). The decoder's head count cannot be seen in shapes; it is the
     * reference's 8.
     *
     * @throws IllegalArgumentException naming what is missing or inconsistent, for a checkpoint of none of these families
     */
    public static SamConfig infer(Map<String, int[]> shapes) {
        CheckpointShapes s = new CheckpointShapes(shapes);
        EncoderConfig enc;
        if (s.has(CheckpointShapes.VIT_PATCH)) {
            enc = s.vit(WINDOW_SIZE);
        } else if (s.has(CheckpointShapes.TINY_VIT_PATCH)) {
            enc = s.tinyVit(IMAGE_SIZE);
        } else {
            throw new IllegalArgumentException("not a checkpoint of SAM, MobileSAM or HQ-SAM: it has neither "
                    + CheckpointShapes.VIT_PATCH + " (SAM's ViT encoder) nor " + CheckpointShapes.TINY_VIT_PATCH
                    + " (MobileSAM's TinyViT encoder); keys start with " + firstKeys(shapes));
        }
        int grid = enc.gridSize();
        int promptDim = s.need("prompt_encoder.no_mask_embed.weight", 2)[1];
        int maskInChans = s.need("prompt_encoder.mask_downscaling.3.weight", 4)[0];
        PromptEncoderConfig pe = new PromptEncoderConfig(promptDim, grid, enc.imgSize(), maskInChans);

        int decDepth = s.countIndexed("mask_decoder.transformer.layers.");
        int decMlp = s.need("mask_decoder.transformer.layers.0.mlp.lin1.weight", 2)[0];
        int maskTokens = s.need("mask_decoder.mask_tokens.weight", 2)[0];
        int iouDepth = s.countIndexed("mask_decoder.iou_prediction_head.layers.");
        int iouHidden = s.need("mask_decoder.iou_prediction_head.layers.0.weight", 2)[0];
        MaskDecoderConfig dec = new MaskDecoderConfig(promptDim, decDepth, DECODER_HEADS, decMlp, maskTokens - 1,
                iouDepth, iouHidden);
        SamConfig sam = new SamConfig(guessName(enc), enc, pe, dec);
        if (!s.has("mask_decoder.hf_token.weight")) {
            return sam;
        }
        SamConfig hq = hq(sam);
        int vitDim = s.need("mask_decoder.compress_vit_feat.0.weight", 4)[0];
        if (vitDim != hq.maskDecoder.vitDim()) {
            throw new IllegalArgumentException("HQ-SAM checkpoint: mask_decoder.compress_vit_feat.0.weight fuses " + vitDim
                    + " channels but the encoder's intermediate embedding has " + hq.maskDecoder.vitDim());
        }
        return hq;
    }

    private static String firstKeys(Map<String, int[]> shapes) {
        List<String> keys = shapes.keySet().stream().sorted().limit(3).toList();
        return keys.isEmpty() ? "(no tensors)" : String.join(", ", keys) + (shapes.size() > 3 ? ", ..." : "");
    }

    private static String guessName(EncoderConfig enc) {
        for (SamConfig c : new SamConfig[] {vitB(), vitL(), vitH(), vitT()}) {
            // a TinyViT checkpoint stripped of its unused classification head is still vit_t
            if (c.imageEncoder.equals(enc instanceof TinyViTConfig t ? t.withNumClasses(1000) : enc)) {
                return c.name;
            }
        }
        return switch (enc) {
            case ImageEncoderConfig vit -> "custom (embed_dim " + vit.embedDim() + ", depth " + vit.depth() + ")";
            case TinyViTConfig tiny -> "custom TinyViT (embed_dims " + java.util.Arrays.toString(tiny.embedDims()) + ")";
        };
    }
}
