package dev.jsam.sam.modeling;

import dev.jsam.nn.ConvTranspose2d;
import dev.jsam.nn.Embedding;
import dev.jsam.nn.LayerNorm2d;
import dev.jsam.nn.MLP;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;

import java.util.ArrayList;
import java.util.List;

/**
 * SAM's mask decoder (modeling/mask_decoder.py): output tokens and prompt tokens run through
 * the TwoWayTransformer against the image embedding; the image side is upscaled 4x and each
 * mask token, through its hypernetwork MLP, becomes a dot-product mask; an MLP head predicts IoU.
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class MaskDecoder {
    private final MaskDecoderConfig cfg;
    private final int numMaskTokens;
    private final TwoWayTransformer transformer;
    private final Embedding iouToken;   // (1, C)
    private final Embedding maskTokens; // (numMaskTokens, C)
    private final ConvTranspose2d up0;
    private final LayerNorm2d up1;
    private final ConvTranspose2d up3;
    private final MLP[] hypernetworks;
    private final MLP iouPredictionHead;

    public MaskDecoder(Weights w, MaskDecoderConfig cfg) {
        this.cfg = cfg;
        int c = cfg.transformerDim();
        this.numMaskTokens = cfg.numMultimaskOutputs() + 1;
        this.transformer = new TwoWayTransformer(w.sub("transformer"), cfg.depth(), c, cfg.numHeads(), cfg.mlpDim(),
                MaskDecoderConfig.ATTENTION_DOWNSAMPLE_RATE);
        this.iouToken = new Embedding(w.sub("iou_token"), 1, c);
        this.maskTokens = new Embedding(w.sub("mask_tokens"), numMaskTokens, c);
        Weights up = w.sub("output_upscaling");
        this.up0 = new ConvTranspose2d(up.sub(0), c, c / 4, 2, 2);
        this.up1 = new LayerNorm2d(up.sub(1), c / 4, LayerNorm2d.DEFAULT_EPS);
        this.up3 = new ConvTranspose2d(up.sub(3), c / 4, c / 8, 2, 2);
        this.hypernetworks = new MLP[numMaskTokens];
        for (int i = 0; i < numMaskTokens; i++) {
            hypernetworks[i] = new MLP(w.sub("output_hypernetworks_mlps").sub(i), c, c, c / 8, 3, false);
        }
        this.iouPredictionHead = new MLP(w.sub("iou_prediction_head"), c, cfg.iouHeadHiddenDim(), numMaskTokens,
                cfg.iouHeadDepth(), false);
    }

    /** Low-res mask logits (B, M, 256, 256) and IoU predictions (B, M). */
    public record Output(Tensor masks, Tensor iouPred) {
    }

    /**
     * imageEmbeddings (1 or B, C, 64, 64), imagePe (1, C, 64, 64), sparse (B, N, C), dense
     * (B, C, 64, 64). With multimaskOutput the last numMultimaskOutputs masks, else the first.
     */
    public Output forward(Tensor imageEmbeddings, Tensor imagePe, Tensor sparse, Tensor dense, boolean multimaskOutput) {
        return forward(imageSide(imageEmbeddings, imagePe, dense), sparse, multimaskOutput);
    }

    /** As {@link #forward(Tensor, Tensor, Tensor, Tensor, boolean)} from a prepared {@link #imageSide}. */
    public Output forward(TwoWayTransformer.ImageSide side, Tensor sparse, boolean multimaskOutput) {
        Output all = predictMasks(side, sparse);
        int start = multimaskOutput ? 1 : 0;
        int count = multimaskOutput ? numMaskTokens - 1 : 1;
        return new Output(all.masks().narrow(1, start, count), all.iouPred().narrow(1, start, count));
    }

    /**
     * The transformer's image side for dense prompt embeddings dense (B, C, 64, 64): src = image
     * embedding + dense, with the positional encoding. Without mask inputs dense is the same for
     * every prompt, so a predictor prepares it once per image.
     */
    public TwoWayTransformer.ImageSide imageSide(Tensor imageEmbeddings, Tensor imagePe, Tensor dense) {
        int b = dense.dim(0);
        Tensor src = imageEmbeddings.dim(0) == b ? imageEmbeddings : imageEmbeddings.expand(b, -1, -1, -1);
        src = src.add(dense);
        Tensor posSrc = imagePe.expand(b, -1, -1, -1);
        return transformer.imageSide(src, posSrc);
    }

    /** All numMaskTokens masks and IoU predictions. */
    public Output predictMasks(Tensor imageEmbeddings, Tensor imagePe, Tensor sparse, Tensor dense) {
        return predictMasks(imageSide(imageEmbeddings, imagePe, dense), sparse);
    }

    /** All numMaskTokens masks and IoU predictions from a prepared image side (batch B) and sparse (B, N, C). */
    public Output predictMasks(TwoWayTransformer.ImageSide side, Tensor sparse) {
        Decoded d = decode(side, sparse, null);
        return new Output(samMasks(d), iouPredictions(d));
    }

    /**
     * The transformer's tokens hs (B, 1 + M + E + N, C) and the upscaled image embedding (B, C/8,
     * 4h, 4w) for the output tokens [iou, M masks, E extra] followed by the prompts.
     */
    record Decoded(Tensor hs, Tensor upscaled) {
    }

    /**
     * Runs the transformer on the output tokens (iou, masks, then extraTokens (E, C) or null: HQ-SAM's
     * hf_token) and the sparse prompts (B, N, C), and upscales the image side's result.
     */
    Decoded decode(TwoWayTransformer.ImageSide side, Tensor sparse, Tensor extraTokens) {
        int b = sparse.dim(0);
        int c = cfg.transformerDim();
        if (side.keys().dim(0) != b) {
            throw new IllegalArgumentException("image side for " + side.keys().dim(0) + " prompts, sparse embeddings for " + b);
        }
        List<Tensor> outputParts = new ArrayList<>(List.of(iouToken.weight(), maskTokens.weight()));
        if (extraTokens != null) {
            outputParts.add(extraTokens);
        }
        Tensor outputTokens = Tensor.concat(outputParts, 0); // (1+M+E) x C
        outputTokens = outputTokens.unsqueeze(0).expand(b, outputTokens.dim(0), c);
        Tensor tokens = Tensor.concat(List.of(outputTokens, sparse), 1); // B x (1+M+E+N) x C
        int h = side.h(), w = side.w();

        TwoWayTransformer.Result r = transformer.forward(side, tokens);
        Tensor image = r.keys().transpose(1, 2).reshape(b, c, h, w);
        // B x C/8 x 4h x 4w, the intermediate upscalings released as soon as it is made
        Tensor upscaled = TensorScope.layer(image, false, x -> up3.forward(up1.forward(up0.forward(x)).gelu()).gelu());
        return new Decoded(r.queries(), upscaled);
    }

    /** The numMaskTokens SAM masks (B, M, 4h, 4w): each mask token's hypernetwork output dotted with the upscaled embedding. */
    Tensor samMasks(Decoded d) {
        Tensor maskTokensOut = d.hs().narrow(1, 1, numMaskTokens); // B x M x C
        List<Tensor> hyperIn = new ArrayList<>();
        for (int i = 0; i < numMaskTokens; i++) {
            hyperIn.add(hypernetworks[i].forward(maskTokensOut.select(1, i)).unsqueeze(1)); // B x 1 x C/8
        }
        return dot(Tensor.concat(hyperIn, 1), d.upscaled());
    }

    /** IoU predictions (B, M) from the iou token. */
    Tensor iouPredictions(Decoded d) {
        return iouPredictionHead.forward(d.hs().select(1, 0));
    }

    /** hyper (B, K, C/8) against an embedding (B, C/8, H, W): masks (B, K, H, W). */
    static Tensor dot(Tensor hyper, Tensor embedding) {
        int b = embedding.dim(0), uc = embedding.dim(1), uh = embedding.dim(2), uw = embedding.dim(3);
        return hyper.matmul(embedding.reshape(b, uc, uh * uw)).reshape(b, hyper.dim(1), uh, uw);
    }

    public int numMaskTokens() {
        return numMaskTokens;
    }
}
