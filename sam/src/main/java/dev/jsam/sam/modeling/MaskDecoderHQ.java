package dev.jsam.sam.modeling;

import dev.jsam.nn.Conv2d;
import dev.jsam.nn.ConvTranspose2d;
import dev.jsam.nn.Embedding;
import dev.jsam.nn.LayerNorm2d;
import dev.jsam.nn.MLP;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * HQ-SAM's mask decoder (SysCV/sam-hq modeling/mask_decoder_hq.py): SAM's decoder (the same keys,
 * run by a {@link MaskDecoder}) plus an HQ output token (hf_token, hf_mlp) whose mask is read off
 * HQ features: the final embedding and the encoder's early intermediate embedding, each upscaled
 * 4x and added (embedding_encoder, compress_vit_feat), plus the refined SAM upscaling
 * (embedding_maskfeature). One mask per prompt: the SAM mask chosen as the reference's predictor
 * chooses it plus the HQ mask, or with hqTokenOnly the HQ mask alone. Immutable once built;
 * thread-safe where the backend allows.
 */
public final class MaskDecoderHQ {
    private final MaskDecoder sam;
    private final int vitDim;
    private final Embedding hfToken; // (1, C)
    private final MLP hfMlp;
    private final ConvTranspose2d compressVitFeat0;
    private final LayerNorm2d compressVitFeat1;
    private final ConvTranspose2d compressVitFeat3;
    private final ConvTranspose2d embeddingEncoder0;
    private final LayerNorm2d embeddingEncoder1;
    private final ConvTranspose2d embeddingEncoder3;
    private final Conv2d embeddingMaskfeature0;
    private final LayerNorm2d embeddingMaskfeature1;
    private final Conv2d embeddingMaskfeature3;

    public MaskDecoderHQ(Weights w, MaskDecoderConfig cfg) {
        if (!cfg.hq()) {
            throw new IllegalArgumentException("MaskDecoderHQ needs the encoder's intermediate width (vitDim), got " + cfg);
        }
        this.sam = new MaskDecoder(w, cfg);
        this.vitDim = cfg.vitDim();
        int c = cfg.transformerDim();
        this.hfToken = new Embedding(w.sub("hf_token"), 1, c);
        this.hfMlp = new MLP(w.sub("hf_mlp"), c, c, c / 8, 3, false);
        Weights cv = w.sub("compress_vit_feat");
        this.compressVitFeat0 = new ConvTranspose2d(cv.sub(0), vitDim, c, 2, 2);
        this.compressVitFeat1 = new LayerNorm2d(cv.sub(1), c, LayerNorm2d.DEFAULT_EPS);
        this.compressVitFeat3 = new ConvTranspose2d(cv.sub(3), c, c / 8, 2, 2);
        Weights ee = w.sub("embedding_encoder");
        this.embeddingEncoder0 = new ConvTranspose2d(ee.sub(0), c, c / 4, 2, 2);
        this.embeddingEncoder1 = new LayerNorm2d(ee.sub(1), c / 4, LayerNorm2d.DEFAULT_EPS);
        this.embeddingEncoder3 = new ConvTranspose2d(ee.sub(3), c / 4, c / 8, 2, 2);
        Weights em = w.sub("embedding_maskfeature");
        this.embeddingMaskfeature0 = new Conv2d(em.sub(0), c / 8, c / 4, 3, 1, 1, true);
        this.embeddingMaskfeature1 = new LayerNorm2d(em.sub(1), c / 4, LayerNorm2d.DEFAULT_EPS);
        this.embeddingMaskfeature3 = new Conv2d(em.sub(3), c / 4, c / 8, 3, 1, 1, true);
    }

    /** One mask per prompt (B, 1, 256, 256) and the IoU prediction of its SAM part (B, 1). */
    public record Output(Tensor masks, Tensor iouPred) {
    }

    /**
     * The HQ features of an image: embedding_encoder(image embedding (1, C, 64, 64)) plus
     * compress_vit_feat(intermediate embedding (1, 64, 64, vitDim), channels last): (1, C/8, 256, 256).
     * They depend on the image alone, so a predictor computes them once per image.
     */
    public Tensor hqFeatures(Tensor imageEmbeddings, Tensor intermEmbeddings) {
        if (intermEmbeddings.rank() != 4 || intermEmbeddings.dim(3) != vitDim) {
            throw new IllegalArgumentException("HQ-SAM's decoder fuses an intermediate embedding (B, H, W, " + vitDim
                    + "), got " + intermEmbeddings);
        }
        Tensor vitFeatures = intermEmbeddings.permute(0, 3, 1, 2); // B x vitDim x 64 x 64
        Tensor e = embeddingEncoder3.forward(embeddingEncoder1.forward(embeddingEncoder0.forward(imageEmbeddings)).gelu());
        Tensor v = compressVitFeat3.forward(compressVitFeat1.forward(compressVitFeat0.forward(vitFeatures)).gelu());
        return e.add(v);
    }

    /** As {@link MaskDecoder#imageSide}: the transformer's image side, which HQ-SAM does not change. */
    public TwoWayTransformer.ImageSide imageSide(Tensor imageEmbeddings, Tensor imagePe, Tensor dense) {
        return sam.imageSide(imageEmbeddings, imagePe, dense);
    }

    /**
     * The reference's forward: imageEmbeddings (1, C, 64, 64), imagePe (1, C, 64, 64), sparse (B, N, C),
     * dense (B, C, 64, 64), the intermediate embedding (1, 64, 64, vitDim).
     */
    public Output forward(Tensor imageEmbeddings, Tensor imagePe, Tensor sparse, Tensor dense, boolean multimaskOutput,
                          boolean hqTokenOnly, Tensor intermEmbeddings) {
        return forward(imageSide(imageEmbeddings, imagePe, dense), sparse, multimaskOutput, hqTokenOnly,
                hqFeatures(imageEmbeddings, intermEmbeddings));
    }

    /**
     * From a prepared image side and {@link #hqFeatures}: with multimaskOutput the SAM mask of highest
     * predicted IoU among outputs 1..M-1 (the first of equals), else output 0, plus the HQ mask; with
     * hqTokenOnly the HQ mask alone. The IoU is the chosen SAM output's either way.
     */
    public Output forward(TwoWayTransformer.ImageSide side, Tensor sparse, boolean multimaskOutput, boolean hqTokenOnly,
                          Tensor hqFeatures) {
        int b = sparse.dim(0);
        int m = sam.numMaskTokens();
        MaskDecoder.Decoded d = sam.decode(side, sparse, hfToken.weight());
        Tensor iou = sam.iouPredictions(d); // B x M
        Tensor masksHq = hqMask(d, hqFeatures); // B x 1 x 4h x 4w
        Tensor iouOut;
        Tensor masksSam = null;
        if (multimaskOutput) {
            float[] scores = iou.narrow(1, 1, m - 1).contiguous().toFloatArray();
            List<Tensor> chosenMasks = new ArrayList<>();
            float[] chosenIou = new float[b];
            Tensor all = hqTokenOnly ? null : sam.samMasks(d);
            for (int i = 0; i < b; i++) {
                int best = 0;
                for (int j = 1; j < m - 1; j++) {
                    if (scores[i * (m - 1) + j] > scores[i * (m - 1) + best]) {
                        best = j;
                    }
                }
                chosenIou[i] = scores[i * (m - 1) + best];
                if (all != null) {
                    chosenMasks.add(all.narrow(0, i, 1).narrow(1, 1 + best, 1));
                }
            }
            iouOut = Tensor.of(iou.backend(), chosenIou, b, 1);
            if (all != null) {
                masksSam = Tensor.concat(chosenMasks, 0);
            }
        } else {
            iouOut = iou.narrow(1, 0, 1);
            if (!hqTokenOnly) {
                masksSam = sam.samMasks(d).narrow(1, 0, 1);
            }
        }
        return new Output(masksSam == null ? masksHq : masksSam.add(masksHq), iouOut);
    }

    /** The HQ token's mask: hf_mlp of its output dotted with embedding_maskfeature(SAM upscaling) + HQ features. */
    private Tensor hqMask(MaskDecoder.Decoded d, Tensor hqFeatures) {
        Tensor u = d.upscaled();
        Tensor upscaledHq = embeddingMaskfeature3.forward(embeddingMaskfeature1.forward(embeddingMaskfeature0.forward(u))
                .gelu()).add(hqFeatures); // B x C/8 x 4h x 4w (HQ features broadcast over the prompts)
        Tensor hfOut = d.hs().select(1, 1 + sam.numMaskTokens()); // B x C
        return MaskDecoder.dot(hfMlp.forward(hfOut).unsqueeze(1), upscaledHq);
    }
}
