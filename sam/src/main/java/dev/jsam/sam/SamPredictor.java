package dev.jsam.sam;

import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.ImageEncoder;
import dev.jsam.sam.modeling.MaskDecoder;
import dev.jsam.sam.modeling.MaskDecoderHQ;
import dev.jsam.sam.modeling.PromptEncoder;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.sam.modeling.TwoWayTransformer;
import dev.jsam.sam.utils.ResizeLongestSide;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Set an image once, prompt it many times (predictor.py): {@link #setImage} runs the encoder
 * and keeps the embedding; {@link #predict} maps prompts from original-image pixels into the
 * model's frame and decodes masks at the original size: {@link #predict(Prompt)}, or the
 * reference's positional {@link #predict(double[], int[], double[], Tensor, boolean, boolean)}.
 * {@link #predictTorch} is the batched form taking prompts already in the model's input frame.
 *
 * <p>Memory ({@link MemoryModel}): every call runs in a {@link TensorScope}, so its intermediates
 * go back to the backend when it returns (the encoder's block by block); the state it keeps
 * (embedding, decoder image side) belongs to the garbage collector, and the tensors it returns to
 * the caller's innermost open scope, or to the collector when none is open. Batches of prompts
 * run through the decoder {@link #DECODER_CHUNK} at a time. setImage runs the encoder, then the predictor keeps the embedding and the decoder's image side; predict(Prompt)
 * holds its masks (one byte per pixel each) and a few MB, upsampling one mask at a time. It refuses
 * nothing by itself: callers budget with MemoryModel.
 *
 * <p>With an HQ-SAM model it answers as the HQ-SAM repository's predictor: one mask per prompt
 * (the SAM mask the multimask flag picks plus the HQ mask, or with {@link #setHqTokenOnly} the HQ
 * mask alone), and it keeps the encoder's intermediate embedding with the image.
 *
 * <p>Not thread-safe: it holds the current image. Use one per thread; threads prompting the same
 * image each take {@link #sharingImage()} of one predictor (the encoder runs once), and any
 * number of predictors may share one {@link Sam}.
 */
public final class SamPredictor {
    /** Channel order of an input image. */
    public enum ImageFormat { RGB, BGR }

    /**
     * Prompts decoded at once: a larger batch goes through the decoder in chunks of this many, each
     * in its own scope (the decoder's per-prompt activations, about 20 MB a prompt for SAM's
     * 64 x 64 grid, would otherwise all be live together).
     */
    public static final int DECODER_CHUNK = 4;

    private final Sam model;
    private final Backend backend;
    private final ResizeLongestSide transform;
    private ImageEmbedding embedding;
    private Tensor densePe;
    private TwoWayTransformer.ImageSide noMaskSide;
    private Tensor hqFeatures;
    private boolean hqTokenOnly;

    public SamPredictor(Sam model) {
        this.model = model;
        this.backend = model.backend();
        this.transform = new ResizeLongestSide(model.imgSize());
    }

    public Sam model() {
        return model;
    }

    public ResizeLongestSide transform() {
        return transform;
    }

    /** Computes the embedding of an RGB image. */
    public void setImage(RgbImage image) {
        setImage(image, ImageFormat.RGB);
    }

    /** Computes the embedding of an image in the given channel order. */
    public void setImage(RgbImage image, ImageFormat format) {
        RgbImage rgb = format == ImageFormat.BGR ? image.reverseChannels() : image;
        Tensor input = inputTensor(transform.applyImage(rgb));
        setTorchImage(input, image.height(), image.width());
    }

    /** A resized RGB image as the model's (1, 3, h, w) float input with 0..255 values. */
    public Tensor inputTensor(RgbImage resized) {
        return backend.copyFromHost(DType.U8, MemorySegment.ofArray(resized.toHwcBytes()), resized.height(),
                resized.width(), 3).to(DType.F32).permute(2, 0, 1).unsqueeze(0); // 1 x 3 x h x w
    }

    /** Computes the embedding of an already resized image (1, 3, h, w) with 0..255 values. */
    public void setTorchImage(Tensor transformedImage, int originalH, int originalW) {
        if (transformedImage.rank() != 4 || transformedImage.dim(1) != 3
                || Math.max(transformedImage.dim(2), transformedImage.dim(3)) != model.imgSize()) {
            throw new IllegalArgumentException("setTorchImage wants (1, 3, h, w) with the long side "
                    + model.imgSize() + ", got " + transformedImage);
        }
        resetImage();
        ImageEncoder encoder = model.imageEncoder();
        String stage = model.config().hq() ? encoder.intermediateStage() : null;
        Tensor[] interm = new Tensor[1]; // HQ-SAM: the stage's output, its decoder's early features
        try (TensorScope scope = backend.scope()) {
            Tensor features = encoder.forward(model.preprocess(transformedImage), stage == null ? null
                    : (name, x) -> interm[0] = name.equals(stage) ? x : interm[0]);
            embedding = new ImageEmbedding(TensorScope.detach(features), originalH, originalW, transformedImage.dim(2),
                    transformedImage.dim(3), model.id(), interm[0] == null ? null : TensorScope.detach(interm[0]));
        }
    }

    /**
     * A new predictor on the same model and image that shares this one's decoder image side (the
     * image tokens and their projections for prompts without a mask input, computed here once, on
     * the first call). A predictor is not thread-safe: a server keeps one per image and gives each
     * request its own made this way, so no request recomputes the image side (about a fifth of a
     * prompt's work).
     */
    public SamPredictor sharingImage() {
        SamPredictor p = new SamPredictor(model);
        synchronized (this) {
            requireImage();
            p.embedding = embedding;
            p.densePe = densePe();
            p.noMaskSide = noMaskSide();
            p.hqFeatures = model.config().hq() ? hqFeatures() : null;
            p.hqTokenOnly = hqTokenOnly;
        }
        return p;
    }

    /** Bytes of the image state kept: the embedding's features and, once computed, the decoder's image side. */
    public synchronized long heldBytes() {
        long n = embedding == null ? 0 : embedding.features().numel();
        if (noMaskSide != null) {
            n += noMaskSide.keys().numel() + noMaskSide.keyPe().numel() + noMaskSide.keysWithPe().numel()
                    + noMaskSide.tokenToImageK().numel()
                    + noMaskSide.tokenToImageV().numel() + noMaskSide.imageToTokenQ().numel();
        }
        if (embedding != null && embedding.intermEmbeddings() != null) {
            n += embedding.intermEmbeddings().numel();
        }
        if (hqFeatures != null) {
            n += hqFeatures.numel();
        }
        return n * Float.BYTES;
    }

    /**
     * Uses a previously computed embedding (from {@link #getImageEmbedding} or a file).
     *
     * @throws IllegalArgumentException naming both models when another model computed it
     */
    public void setEmbedding(ImageEmbedding e) {
        if (!e.model().equals(model.id())) {
            throw new IllegalArgumentException("the embedding was computed by model " + e.model()
                    + " but this predictor's model is " + model.id()
                    + "; compute it with this model (setImage, or `sam embed` with the same checkpoint)");
        }
        int c = model.config().promptEncoder().embedDim();
        int g = model.config().promptEncoder().imageEmbeddingSize();
        int[] s = e.features().shape();
        if (s.length != 4 || s[0] != 1 || s[1] != c || s[2] != g || s[3] != g) {
            throw new IllegalArgumentException("embedding features have shape " + java.util.Arrays.toString(s)
                    + " but this model (" + model.config().name() + ") needs [1, " + c + ", " + g + ", " + g + "]");
        }
        Tensor interm = null;
        if (model.config().hq()) {
            interm = e.intermEmbeddings();
            int vitDim = model.config().maskDecoder().vitDim();
            if (interm == null) {
                throw new IllegalArgumentException("HQ-SAM's decoder needs the encoder's intermediate embedding, which this"
                        + " embedding lacks (it was computed for a model with SAM's decoder); compute it with this model");
            }
            int[] is = interm.shape();
            if (is.length != 4 || is[0] != 1 || is[1] != g || is[2] != g || is[3] != vitDim) {
                throw new IllegalArgumentException("intermediate embedding has shape " + java.util.Arrays.toString(is)
                        + " but this model (" + model.config().name() + ") needs [1, " + g + ", " + g + ", " + vitDim + "]");
            }
            interm = TensorScope.detach(interm.to(backend));
        }
        resetImage();
        embedding = new ImageEmbedding(TensorScope.detach(e.features().to(backend)), e.originalH(), e.originalW(),
                e.inputH(), e.inputW(), e.model(), interm);
    }

    public boolean isImageSet() {
        return embedding != null;
    }

    /** The current image embedding with its sizes. */
    public ImageEmbedding getImageEmbedding() {
        requireImage();
        return embedding;
    }

    public void resetImage() {
        embedding = null;
        noMaskSide = null;
        hqFeatures = null;
    }

    /**
     * HQ-SAM's hq_token_only: each prompt's mask is the HQ output token's alone, not added to the
     * SAM mask (the reference predictor's flag; its IoU prediction stays the SAM mask's).
     *
     * @throws IllegalArgumentException if the model's decoder is SAM's, which has no HQ token
     */
    public void setHqTokenOnly(boolean hqTokenOnly) {
        if (hqTokenOnly && !model.config().hq()) {
            throw new IllegalArgumentException("hq_token_only applies to HQ-SAM models; " + model.config().name()
                    + " has SAM's mask decoder");
        }
        this.hqTokenOnly = hqTokenOnly;
    }

    public boolean hqTokenOnly() {
        return hqTokenOnly;
    }

    private void requireImage() {
        if (embedding == null) {
            throw new IllegalStateException("An image must be set with setImage(...) before mask prediction.");
        }
    }

    private Tensor densePe() {
        if (densePe == null) {
            densePe = TensorScope.detach(model.promptEncoder().getDensePe(backend));
        }
        return densePe;
    }

    /**
     * The masks for one prompt on the image set last, at the image's size, with their scores:
     * {@code predictor.predict(Prompt.point(500, 375)).best()}. The masks are upsampled one at a
     * time from the decoder's low-res logits ({@link UpsampledMask}), so besides the result (one
     * byte per pixel per mask: C x H x W bytes) a call holds only a few rows of floats.
     *
     * @throws IllegalStateException    if no image is set, or the model was closed
     * @throws IllegalArgumentException if the mask input is not the model's low-res size (256 x 256)
     */
    public Masks predict(Prompt prompt) {
        double[] coords = prompt.pointCoords();
        float[] maskInput = prompt.maskInput();
        Tensor mask = null;
        if (maskInput != null) {
            int side = (int) Math.round(Math.sqrt(maskInput.length));
            mask = Tensor.of(backend, maskInput, 1, side, side);
        }
        try (TensorScope scope = backend.scope()) {
            LowRes low = predictLowRes(coords.length == 0 ? null : coords, coords.length == 0 ? null : prompt.pointLabels(),
                    prompt.box(), mask, prompt.multimask());
            return Masks.of(low.iouPredictions().toFloatArray(), low.logits().toFloatArray(), this);
        }
    }

    /**
     * One prompt in original-image pixels, as the positional {@link #predict(double[], int[], double[],
     * Tensor, boolean, boolean) predict} takes it, decoded to low-res logits (1, C, 256, 256) and
     * IoU (1, C) only: for callers that bring each mask to the image themselves with
     * {@link #upsampled}, a strip or a column at a time.
     */
    public LowRes predictLowRes(double[] pointCoords, int[] pointLabels, double[] box, Tensor maskInput,
                                boolean multimaskOutput) {
        PromptTensors t = promptTensors(pointCoords, pointLabels, box, maskInput);
        return predictLowRes(t.coords(), t.labels(), t.boxes(), t.masks(), multimaskOutput);
    }

    /**
     * One mask of a {@link #predictLowRes} result for the image set last, upsampled a strip at a
     * time: the logits of mask (b, c) start at {@code lowResLogits[(b * C + c) * 256 * 256]}.
     */
    public UpsampledMask upsampled(float[] lowResLogits, int offset) {
        requireImage();
        int low = 4 * model.config().promptEncoder().imageEmbeddingSize();
        return UpsampledMask.of(lowResLogits, offset, low, model.imgSize(), embedding.inputH(), embedding.inputW(),
                embedding.originalH(), embedding.originalW());
    }

    /**
     * One prompt in original-image pixels, in the reference's positional form ({@link #predict(Prompt)}
     * is the simpler one). pointCoords (N x 2 as x0,y0,x1,y1...) with pointLabels
     * (N), a box (x0, y0, x1, y1), and a low-res mask input (1 x 256 x 256 logits from an earlier
     * prediction), each optional (null). Masks are (C, H, W): U8 0/1, or F32 logits with returnLogits,
     * all held at once (with their float logits on the way: 5 x C x H x W bytes and more).
     */
    public Prediction predict(double[] pointCoords, int[] pointLabels, double[] box, Tensor maskInput,
                              boolean multimaskOutput, boolean returnLogits) {
        PromptTensors t = promptTensors(pointCoords, pointLabels, box, maskInput);
        BatchPrediction b = predictTorch(t.coords(), t.labels(), t.boxes(), t.masks(), multimaskOutput, returnLogits);
        return new Prediction(b.masks().select(0, 0), b.iouPredictions().select(0, 0), b.lowResLogits().select(0, 0),
                b.embeddings());
    }

    /** One prompt's inputs in the model's frame, as a batch of one; null where not given. */
    private record PromptTensors(Tensor coords, int[][] labels, Tensor boxes, Tensor masks) {
    }

    /** Checks one prompt in original-image pixels and maps it into the model's frame. */
    private PromptTensors promptTensors(double[] pointCoords, int[] pointLabels, double[] box, Tensor maskInput) {
        requireImage();
        Tensor coords = null;
        int[][] labels = null;
        if (pointCoords != null) {
            if (pointLabels == null) {
                throw new IllegalArgumentException("point_labels must be supplied with point_coords");
            }
            if (pointCoords.length != 2 * pointLabels.length) {
                throw new IllegalArgumentException(pointCoords.length / 2 + " points but " + pointLabels.length + " labels");
            }
            Prompt.checkCoordinates("point", pointCoords);
            double[] t = transform.applyCoords(pointCoords, embedding.originalH(), embedding.originalW());
            coords = Tensor.of(backend, toFloats(t), 1, pointLabels.length, 2);
            labels = new int[][] {pointLabels.clone()};
        } else if (pointLabels != null) {
            throw new IllegalArgumentException("point_labels given without point_coords");
        }
        Tensor boxes = null;
        if (box != null) {
            if (box.length != 4) {
                throw new IllegalArgumentException("a box is 4 numbers x0, y0, x1, y1; got " + box.length);
            }
            Prompt.checkCoordinates("box", box);
            boxes = Tensor.of(backend, toFloats(transform.applyBoxes(box, embedding.originalH(), embedding.originalW())), 1, 4);
        }
        Tensor masks = null;
        if (maskInput != null) {
            int[] s = maskInput.shape();
            int lowRes = 4 * model.config().promptEncoder().imageEmbeddingSize();
            if (s.length != 3 || s[0] != 1 || s[1] != lowRes || s[2] != lowRes) {
                throw new IllegalArgumentException("mask input must have shape [1, " + lowRes + ", " + lowRes
                        + "] (low-res logits of an earlier prediction), got " + java.util.Arrays.toString(s));
            }
            masks = maskInput.to(backend).unsqueeze(0);
        }
        return new PromptTensors(coords, labels, boxes, masks);
    }

    /**
     * B prompts at once, already in the model's input frame (apply the transform's coords and
     * boxes first): coords (B, N, 2) with labels (B x N), boxes (B, 4), mask inputs (B, 1, 256, 256),
     * each optional. Returns masks (B, C, H, W), IoU (B, C) and low-res logits (B, C, 256, 256).
     */
    public BatchPrediction predictTorch(Tensor pointCoords, int[][] pointLabels, Tensor boxes, Tensor maskInput,
                                        boolean multimaskOutput, boolean returnLogits) {
        // decoding is a call of its own: when no other call runs, its buffers are dropped before the
        // masks are upsampled instead of staying pooled beside them (sizes the upsampling never uses)
        LowRes low = predictLowRes(pointCoords, pointLabels, boxes, maskInput, multimaskOutput);
        try (TensorScope scope = backend.scope()) {
            Tensor masks = model.postprocessMasks(low.logits(), embedding.inputH(), embedding.inputW(),
                    embedding.originalH(), embedding.originalW());
            if (!returnLogits) {
                masks = masks.gt(Sam.MASK_THRESHOLD).to(DType.U8);
            }
            return new BatchPrediction(scope.keep(masks), low.iouPredictions(), low.logits(), low.embeddings());
        }
    }

    /**
     * The prompt encoder and mask decoder alone, as {@link #predictTorch} runs them, without the
     * upsampling to the original image: logits (B, C, 256, 256) and IoU (B, C). For callers that
     * upsample only the masks they keep (segment-everything).
     */
    public LowRes predictLowRes(Tensor pointCoords, int[][] pointLabels, Tensor boxes, Tensor maskInput,
                                boolean multimaskOutput) {
        requireImage();
        try (TensorScope scope = backend.scope()) {
            PromptEncoder.Embeddings emb = model.promptEncoder().forward(backend, pointCoords, pointLabels, boxes, maskInput);
            int b = emb.sparse().dim(0);
            List<Tensor> logits = new ArrayList<>(), iou = new ArrayList<>();
            for (int c0 = 0; c0 < b; c0 += DECODER_CHUNK) { // B prompts -> chunks, each decoded in its own scope
                int n = Math.min(DECODER_CHUNK, b - c0);
                try (TensorScope chunk = backend.scope()) {
                    Tensor[] out = decode(emb.sparse().narrow(0, c0, n), emb.dense().narrow(0, c0, n), maskInput != null,
                            multimaskOutput);
                    logits.add(chunk.keep(out[0]));
                    iou.add(chunk.keep(out[1]));
                }
            }
            Tensor l = logits.size() == 1 ? logits.get(0) : Tensor.concat(logits, 0); // B x C x 256 x 256
            Tensor q = iou.size() == 1 ? iou.get(0) : Tensor.concat(iou, 0);          // B x C
            return new LowRes(scope.keep(l), scope.keep(q),
                    new PromptEncoder.Embeddings(scope.keep(emb.sparse()), scope.keep(emb.dense())));
        }
    }

    /** The mask decoder on a chunk of prompt embeddings: {contiguous logits (b, C, 256, 256), IoU (b, C)}. */
    private Tensor[] decode(Tensor sparse, Tensor dense, boolean maskGiven, boolean multimaskOutput) {
        if (model.config().hq()) {
            MaskDecoderHQ hq = model.maskDecoderHQ();
            TwoWayTransformer.ImageSide side = maskGiven ? hq.imageSide(embedding.features(), densePe(), dense)
                    : noMaskSide().expand(sparse.dim(0));
            MaskDecoderHQ.Output out = hq.forward(side, sparse, multimaskOutput, hqTokenOnly, hqFeatures());
            return new Tensor[] {out.masks().contiguous(), out.iouPred().contiguous()};
        }
        MaskDecoder decoder = model.maskDecoder();
        MaskDecoder.Output out = maskGiven ? decoder.forward(embedding.features(), densePe(), sparse, dense, multimaskOutput)
                : decoder.forward(noMaskSide().expand(sparse.dim(0)), sparse, multimaskOutput);
        return new Tensor[] {out.masks().contiguous(), out.iouPred().contiguous()};
    }

    /**
     * The decoder's image side without a mask input (the dense prompt embedding is then the same
     * no-mask embedding for every prompt), computed at the first such prompt and kept until the
     * image changes: later prompts skip its projections (about a fifth of a prompt's work).
     */
    private TwoWayTransformer.ImageSide noMaskSide() {
        if (noMaskSide == null) {
            Tensor dense = model.promptEncoder().forward(backend, null, null, null, null).dense(); // 1 x C x 64 x 64
            noMaskSide = (model.config().hq() ? model.maskDecoderHQ().imageSide(embedding.features(), densePe(), dense)
                    : model.maskDecoder().imageSide(embedding.features(), densePe(), dense)).detached();
        }
        return noMaskSide;
    }

    /** HQ-SAM's HQ features of the image, computed at its first prompt and kept until the image changes. */
    private Tensor hqFeatures() {
        if (hqFeatures == null) {
            hqFeatures = TensorScope.detach(model.maskDecoderHQ().hqFeatures(embedding.features(), embedding.intermEmbeddings()));
        }
        return hqFeatures;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * Masks (C, H, W), IoU predictions (C) and low-res logits (C, 256, 256) of one prompt, with the
     * prompt embeddings (sparse (1, N, C), dense (1, C, 64, 64)) that produced them.
     */
    public record Prediction(Tensor masks, Tensor iouPredictions, Tensor lowResLogits,
                             PromptEncoder.Embeddings embeddings) {
    }

    /** Low-res logits (B, C, 256, 256) and IoU predictions (B, C), with the prompt embeddings. */
    public record LowRes(Tensor logits, Tensor iouPredictions, PromptEncoder.Embeddings embeddings) {
    }

    /** The batched results, with the prompt embeddings that produced them. */
    public record BatchPrediction(Tensor masks, Tensor iouPredictions, Tensor lowResLogits,
                                  PromptEncoder.Embeddings embeddings) {
    }
}
