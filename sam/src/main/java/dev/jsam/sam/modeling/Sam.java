package dev.jsam.sam.modeling;

import dev.jsam.nn.Weights;
import dev.jsam.sam.ModelId;
import dev.jsam.sam.SamConfig;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.CheckpointConverter;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The whole model (modeling/sam.py): image encoder, prompt encoder and mask decoder, with the
 * reference's input normalisation and padding ({@link #preprocess}) and the upsampling of
 * low-res logits back to the original image ({@link #postprocessMasks}). The image encoder is
 * SAM's ViT or MobileSAM's TinyViT; the mask decoder SAM's or HQ-SAM's ({@link #maskDecoderHQ()}),
 * as the configuration says.
 *
 * <p>{@link #load(Path)} opens a checkpoint; the model then owns its memory-mapped weights (and
 * the backend, where load opened it) until {@link #close()}. A closed model refuses every use
 * with an IllegalStateException. Thread-safe: its layers hold only weights, so any number of
 * {@link dev.jsam.sam.SamPredictor}s on as many threads may share one model (on a backend whose
 * {@link Backend#concurrentUse()} is false, such as CUDA, run them one at a time). Close it only
 * when no call is running: a call caught by the close fails with an IllegalStateException.
 */
public final class Sam implements AutoCloseable {
    // ref: modeling/sam.py Sam.__init__ defaults @ dca509f
    public static final float[] PIXEL_MEAN = {123.675f, 116.28f, 103.53f};
    public static final float[] PIXEL_STD = {58.395f, 57.12f, 57.375f};
    public static final float MASK_THRESHOLD = 0.0f;

    private final SamConfig config;
    private final Backend backend;
    private final ImageEncoder imageEncoder;
    private final PromptEncoder promptEncoder;
    private final MaskDecoder maskDecoder;     // SAM's decoder, or null for HQ-SAM
    private final MaskDecoderHQ maskDecoderHQ; // HQ-SAM's decoder, or null
    private final ModelId id;
    private final String source;
    private final OwnedResources owned;
    private volatile boolean closed;

    /**
     * Builds the model from weights; fails naming any missing, mis-shaped or unused tensor. The
     * model owns nothing: the weights' memory and the backend stay the caller's.
     */
    public Sam(Weights w, SamConfig config) {
        this(w, config, new OwnedResources());
    }

    /** Builds the model, which then releases {@code owned} when closed. */
    Sam(Weights w, SamConfig config, OwnedResources owned) {
        this.config = config;
        this.backend = w.backend();
        this.imageEncoder = switch (config.imageEncoder()) {
            case ImageEncoderConfig vit -> new ImageEncoderViT(w.sub("image_encoder"), vit);
            case TinyViTConfig tiny -> new TinyViT(w.sub("image_encoder"), tiny);
        };
        this.promptEncoder = new PromptEncoder(w.sub("prompt_encoder"), config.promptEncoder());
        boolean hq = config.maskDecoder().hq();
        this.maskDecoder = hq ? null : new MaskDecoder(w.sub("mask_decoder"), config.maskDecoder());
        this.maskDecoderHQ = hq ? new MaskDecoderHQ(w.sub("mask_decoder"), config.maskDecoder()) : null;
        if (hq && imageEncoder.intermediateDim() != config.maskDecoder().vitDim()) {
            throw new IllegalArgumentException("HQ-SAM's decoder fuses " + config.maskDecoder().vitDim()
                    + " channels but the encoder's intermediate embedding has " + imageEncoder.intermediateDim());
        }
        w.requireAllUsed();
        this.id = ModelId.of(encoderName(config.name()), w.source());
        this.source = w.source().describe();
        this.owned = owned;
    }

    /**
     * Loads a checkpoint on the CPU backend with all cores; closing the model closes that backend.
     *
     * @see #load(Path, Backend)
     */
    public static Sam load(Path checkpoint) throws IOException {
        return CheckpointLoader.load(checkpoint, CpuBackend.create(), true, ServiceLoader.load(CheckpointConverter.class),
                null);
    }

    /**
     * Loads a checkpoint on {@code backend}, which stays the caller's (closing the model does not
     * close it). The file is a safetensors file, memory-mapped (weights are not copied onto the
     * heap) and released by {@link #close()}; or a PyTorch .pth file when jsam-weights-converter
     * is on the class or module path, converted into a temporary safetensors file that is removed
     * again (its size in java.io.tmpdir is needed while loading). Formats are told apart by
     * parsing, not by the name. The configuration (vit_b, vit_l, vit_h, MobileSAM's vit_t, HQ-SAM's of
     * each, or a custom size) is read off the tensor keys and shapes.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws CheckpointFormatException         if the file is in no format this class path can load, saying how to convert it
     * @throws IOException                       if the file is corrupt (naming the tensor) or cannot be read
     * @throws IllegalArgumentException          if a tensor the model needs is missing or mis-shaped, or one is unused
     */
    public static Sam load(Path checkpoint, Backend backend) throws IOException {
        return CheckpointLoader.load(checkpoint, backend, false, ServiceLoader.load(CheckpointConverter.class), null);
    }

    /**
     * Maps a checkpoint's weights, converted as {@link #load(Path, Backend)} converts them, into
     * {@code arena}, for callers that build several models over one mapping (one per backend or
     * thread, each with {@code fromSource(new SafetensorsSource(file, backend), backend)}): a
     * safetensors file is mapped in place; a PyTorch .pth (with jsam-weights-converter present)
     * is converted into a temporary file in java.io.tmpdir that is removed once mapped (when the
     * JVM exits where a mapped file cannot be deleted). The mapping lives as long as the arena.
     *
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws CheckpointFormatException         if the file is in no format this class path can load, saying how to convert it
     * @throws IOException                       if the file is corrupt or cannot be read
     */
    public static SafetensorsFile mapCheckpoint(Path checkpoint, Arena arena) throws IOException {
        return CheckpointLoader.map(checkpoint, ServiceLoader.load(CheckpointConverter.class), null, arena);
    }

    /** Builds the model whose configuration is read off the source's tensor shapes; it owns nothing. */
    public static Sam fromSource(Weights.Source source, Backend backend) {
        return new Sam(Weights.of(source, backend), configOf(source));
    }

    /**
     * The name an embedding's identity carries: the encoder's, so that HQ-SAM (which keeps SAM's
     * encoder and changes only the decoder) and SAM share embeddings, as ModelId promises.
     */
    private static String encoderName(String modelName) {
        return modelName.startsWith("hq_") ? modelName.substring("hq_".length()) : modelName;
    }

    /** The configuration the source's tensor shapes describe. */
    static SamConfig configOf(Weights.Source source) {
        Map<String, int[]> shapes = new TreeMap<>();
        for (String key : source.keys()) {
            shapes.put(key, source.shape(key));
        }
        return SamConfig.infer(shapes);
    }

    /** The identity of this model's image encoder, which every embedding it computes carries. */
    public ModelId id() {
        return id;
    }

    /** Whether {@link #close()} has not been called yet. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Releases what the model owns: the mapping of its weights file, a backend that
     * {@link #load(Path)} opened, a temporary converted file. Idempotent.
     */
    @Override
    public void close() {
        synchronized (owned) {
            if (!closed) {
                closed = true;
                owned.close();
            }
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Sam was closed (" + config.name() + " from " + source
                    + "); load the model again to use it");
        }
    }

    public SamConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** The image encoder; an IllegalStateException once the model is closed (so are the three below). */
    public ImageEncoder imageEncoder() {
        requireOpen();
        return imageEncoder;
    }

    public PromptEncoder promptEncoder() {
        requireOpen();
        return promptEncoder;
    }

    /** SAM's mask decoder; an IllegalStateException for an HQ-SAM model (see {@link #maskDecoderHQ()}). */
    public MaskDecoder maskDecoder() {
        requireOpen();
        if (maskDecoder == null) {
            throw new IllegalStateException(config.name() + " has HQ-SAM's mask decoder: use maskDecoderHQ()");
        }
        return maskDecoder;
    }

    /** HQ-SAM's mask decoder; an IllegalStateException for a model with SAM's (see {@link SamConfig#hq()}). */
    public MaskDecoderHQ maskDecoderHQ() {
        requireOpen();
        if (maskDecoderHQ == null) {
            throw new IllegalStateException(config.name() + " has SAM's mask decoder, not HQ-SAM's");
        }
        return maskDecoderHQ;
    }

    public int imgSize() {
        return config.imageEncoder().imgSize();
    }

    /** Normalises pixel values and pads to a square: (B, 3, h, w) in 0..255 -> (B, 3, 1024, 1024). */
    public Tensor preprocess(Tensor x) {
        requireOpen();
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
        requireOpen();
        // up to img_size^2, crop to the input's size, resize to the original: one op, which on the CPU never holds img_size^2 for all masks
        return backend.interpolateBilinearCropped(masks, imgSize(), imgSize(), inputH, inputW, originalH, originalW);
    }
}
