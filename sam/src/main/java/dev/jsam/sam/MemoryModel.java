package dev.jsam.sam;

import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.modeling.ImageEncoderConfig;
import dev.jsam.sam.modeling.TinyViTConfig;

/**
 * How much Java heap jsam's steps hold at their peak, as functions of the model and the image, for
 * budgets checked before any work (the `sam` commands refuse what would not fit). The weights are
 * not in it: they are memory-mapped, outside the heap, and count in a process's resident memory at
 * most once, as the file's size. Figures are upper bounds of what the steps keep reachable, measured
 * as the smallest -Xmx that runs them (README, "Memory"); the garbage collector may let the heap grow
 * beyond them up to its maximum before it collects. Stateless: thread-safe.
 *
 * <ul>
 *   <li>image encoder: {@link #encoderBytes} = 15 x tokens x width x 4 bytes + one 3 x 1024 x 1024
 *       float input (vit_b: 201 MB, vit_l 264 MB, vit_h 327 MB, the tiny test model 30 MB), whatever
 *       the image's size (it is resized to 1024 first);
 *   <li>mask decoder: {@link #decoderBytesPerPrompt} for each prompt decoded in one call
 *       (6 planes of 256 x 64 x 64 floats: 24 MB), and {@link #imageStateBytes} kept per image
 *       (embedding and decoder image side, 5 planes: 20 MB);
 *   <li>a mask upsampled to the image with {@link UpsampledMask}: {@link #upsampleBytes}, 8 MB,
 *       whatever the image's size, plus whatever the caller keeps of it (1 byte per pixel for a
 *       {@link Mask}).
 *   <li>segment-everything on an image: {@link #amgBytes}, with its pixels counted as
 *       {@link #imageArrays}.
 * </ul>
 */
public final class MemoryModel {
    /**
     * Encoder: activations of width embedDim per token it needs at its peak. Fitted to the smallest
     * heap `sam predict` ran in on a 534 x 800 image: 46-53 MB for the tiny test model (width 72),
     * 202-219 MB for vit_b (768), with the runtime's 32 MB and the input below (AMD EPYC, JDK 25,
     * ParallelGC).
     */
    static final int ENCODER_ACTIVATIONS = 15;
    /** Encoder: float planes of the model's input square (3 x 1024 x 1024: 12 MB each) on top. */
    static final int ENCODER_INPUT_PLANES = 1;
    /**
     * Decoder: (embedDim x 64 x 64) float planes per prompt decoded in one call. Fitted the same
     * way: vit_b needed 463-475 MB for 16 prompts at once against 202-219 MB for one, about 6 planes
     * (24 MB) a prompt beside its masks' low-res logits; the tiny model needs less than 3.
     */
    static final int DECODER_PLANES_PER_PROMPT = 6;
    /** Predictor state per image: the embedding and the decoder's image side, in such planes. */
    static final int IMAGE_STATE_PLANES = 5;
    /** Upsampling one mask: its logits at the model's input size, a strip of rows (1 MB of floats and bytes). */
    static final long UPSAMPLE_STRIPS = 3L << 20;

    private MemoryModel() {
    }

    /**
     * Heap of one image encoder run (setImage): independent of the image's size. For TinyViT the
     * same constant is applied to its widest stage (tokens x channels), a bound not yet fitted to
     * measurements as the ViT's was.
     */
    public static long encoderBytes(SamConfig c) {
        long input = (long) c.imageEncoder().imgSize() * c.imageEncoder().imgSize() * 3 * Float.BYTES;
        long widest = switch (c.imageEncoder()) {
            case ImageEncoderConfig e -> (long) e.gridSize() * e.gridSize() * e.embedDim();
            case TinyViTConfig t -> tinyVitWidestStage(t);
        };
        return ENCODER_ACTIVATIONS * widest * Float.BYTES + ENCODER_INPUT_PLANES * input;
    }

    /** Tokens x channels of TinyViT's widest stage: the first at a quarter of the input side, halving down to the grid. */
    private static long tinyVitWidestStage(TinyViTConfig t) {
        long widest = 0;
        int side = t.imgSize() / 4;
        for (int dim : t.embedDims()) {
            widest = Math.max(widest, (long) side * side * dim);
            side = Math.max(t.gridSize(), side / 2);
        }
        return widest;
    }

    /** Heap the prompt encoder and mask decoder hold per prompt of one call (predictLowRes of a batch). */
    public static long decoderBytesPerPrompt(SamConfig c) {
        return DECODER_PLANES_PER_PROMPT * plane(c);
    }

    /** Heap a predictor keeps for its image: the embedding and the decoder's image side. */
    public static long imageStateBytes(SamConfig c) {
        return IMAGE_STATE_PLANES * plane(c);
    }

    /** Low-res logits of one mask (256 x 256 floats). */
    public static long lowResBytes(SamConfig c) {
        long side = 4L * c.promptEncoder().imageEmbeddingSize();
        return side * side * Float.BYTES;
    }

    /** Heap of upsampling one mask with {@link UpsampledMask}, whatever the image's size. */
    public static long upsampleBytes(SamConfig c) {
        long img = c.imageEncoder().imgSize();
        return img * img * Float.BYTES + UPSAMPLE_STRIPS;
    }

    /**
     * Heap of {@link SamPredictor#predict(Prompt)} on a width x height image beyond the predictor's
     * state: the decoder for one prompt, the masks' low-res logits, one upsampling, and the result
     * (masks x width x height bytes).
     */
    public static long predictBytes(SamConfig c, int width, int height, int masks) {
        return decoderBytesPerPrompt(c) + masks * lowResBytes(c) + upsampleBytes(c) + (long) masks * width * height;
    }

    /**
     * Heap that image-sized arrays held together need: arrays that live through a collection sit in
     * the old generation, which ParallelGC (bin/sam's collector) sizes at 2/3 of the heap, so they
     * need 1.5 times their bytes (measured: decoding a 10000 x 9999 PNG, 400 MB of arrays, runs out
     * of memory in a 500 MB heap).
     */
    public static long imageArrays(long bytes) {
        return bytes * 3 / 2;
    }

    /**
     * Heap of segment-everything on an image file: the more of decoding it ({@link
     * ImageHeader#decodeBytes}, as {@link #imageArrays}) and {@linkplain #amgBytes(SamConfig, int, int,
     * AmgParams) generating its masks}.
     */
    public static long amgBytes(SamConfig c, ImageHeader image, AmgParams p) {
        return Math.max(imageArrays(image.decodeBytes()), amgBytes(c, image.width(), image.height(), p));
    }

    /**
     * Heap of segment-everything ({@link SamAutomaticMaskGenerator#generate}) on a decoded width x
     * height image, its pixels included (3P, P the pixels, as {@link #imageArrays}): each crop cut
     * from them (3P more at most) and encoded, then batches of points: the decoder, the batch's
     * low-res logits, and one mask upsampled to the crop as the generator does it (three float
     * copies and a boolean mask: 13 bytes per pixel).
     */
    public static long amgBytes(SamConfig c, int width, int height, AmgParams p) {
        long pixels = (long) width * height;
        long held = imageArrays(3 * pixels * (p.cropNLayers() > 0 ? 2 : 1));
        int batch = p.pointsPerBatch();
        long decoder = imageStateBytes(c) + batch * decoderBytesPerPrompt(c) + 3L * batch * lowResBytes(c)
                + upsampleBytes(c) + 13 * pixels;
        return held + Math.max(encoderBytes(c), decoder);
    }

    /** One (embedDim x 64 x 64) float plane of the decoder: 4 MB for SAM's 256 channels. */
    private static long plane(SamConfig c) {
        long g = c.promptEncoder().imageEmbeddingSize();
        return c.promptEncoder().embedDim() * g * g * Float.BYTES;
    }
}
