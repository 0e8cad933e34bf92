package dev.jsam.sam.modeling;

import dev.jsam.nn.Weights;
import dev.jsam.sam.SamConfig;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;

import java.util.Map;
import java.util.TreeMap;

/**
 * The whole model (modeling/sam.py): image encoder, prompt encoder and mask decoder, with the
 * reference's input normalisation and padding ({@link #preprocess}) and the upsampling of
 * low-res logits back to the original image ({@link #postprocessMasks}).
 */
public final class Sam {
    // ref: modeling/sam.py Sam.__init__ defaults @ dca509f
    public static final float[] PIXEL_MEAN = {123.675f, 116.28f, 103.53f};
    public static final float[] PIXEL_STD = {58.395f, 57.12f, 57.375f};
    public static final float MASK_THRESHOLD = 0.0f;

    private final SamConfig config;
    private final Backend backend;
    private final ImageEncoderViT imageEncoder;
    private final PromptEncoder promptEncoder;
    private final MaskDecoder maskDecoder;

    /** Builds the model from weights; fails naming any missing, mis-shaped or unused tensor. */
    public Sam(Weights w, SamConfig config) {
        this.config = config;
        this.backend = w.backend();
        this.imageEncoder = new ImageEncoderViT(w.sub("image_encoder"), config.imageEncoder());
        this.promptEncoder = new PromptEncoder(w.sub("prompt_encoder"), config.promptEncoder());
        this.maskDecoder = new MaskDecoder(w.sub("mask_decoder"), config.maskDecoder());
        w.requireAllUsed();
    }

    /** Builds the model whose configuration is read off the source's tensor shapes. */
    public static Sam fromSource(Weights.Source source, Backend backend) {
        Map<String, int[]> shapes = new TreeMap<>();
        for (String key : source.keys()) {
            shapes.put(key, source.get(key).shape());
        }
        return new Sam(Weights.of(source, backend), SamConfig.infer(shapes));
    }

    public SamConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    public ImageEncoderViT imageEncoder() {
        return imageEncoder;
    }

    public PromptEncoder promptEncoder() {
        return promptEncoder;
    }

    public MaskDecoder maskDecoder() {
        return maskDecoder;
    }

    public int imgSize() {
        return config.imageEncoder().imgSize();
    }

    /** Normalises pixel values and pads to a square: (B, 3, h, w) in 0..255 -> (B, 3, 1024, 1024). */
    public Tensor preprocess(Tensor x) {
        Tensor mean = Tensor.of(backend, PIXEL_MEAN, 3, 1, 1);
        Tensor std = Tensor.of(backend, PIXEL_STD, 3, 1, 1);
        Tensor normed = x.sub(mean).div(std);
        int padH = imgSize() - x.dim(2);
        int padW = imgSize() - x.dim(3);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("input " + x + " is larger than the model's " + imgSize() + " pixels");
        }
        return normed.pad(new int[] {0, padW, 0, padH}, 0f);
    }

    /**
     * Low-res logits (B, C, 256, 256) to the original image: bilinear to imgSize, crop away the
     * padding to inputSize (h, w), bilinear to originalSize (H, W). Returns (B, C, H, W).
     */
    public Tensor postprocessMasks(Tensor masks, int inputH, int inputW, int originalH, int originalW) {
        Tensor up = backend.interpolateBilinear(masks, imgSize(), imgSize());
        Tensor cropped = up.narrow(2, 0, inputH).narrow(3, 0, inputW);
        return backend.interpolateBilinear(cropped, originalH, originalW);
    }
}
