package dev.jsam.sam.modeling;

import dev.jsam.nn.Conv2d;
import dev.jsam.nn.Embedding;
import dev.jsam.nn.LayerNorm2d;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * SAM's prompt encoder (modeling/prompt_encoder.py): points and boxes become sparse embeddings
 * (random Fourier position encoding plus a learned embedding per label or corner), a low-res
 * mask becomes a dense embedding through a small conv stack, or the learned no-mask embedding.
 * Immutable once built: forward only reads the weights, so it may run on several threads at once
 * where the backend allows ({@link dev.jsam.tensor.Backend#concurrentUse()}).
 */
public final class PromptEncoder {
    private final PromptEncoderConfig cfg;
    private final PositionEmbeddingRandom peLayer;
    private final Embedding[] pointEmbeddings; // 4 x (1, C): negative, positive, box corner 1, box corner 2
    private final Embedding notAPointEmbed;     // (1, C)
    private final Conv2d down0;
    private final LayerNorm2d down1;
    private final Conv2d down3;
    private final LayerNorm2d down4;
    private final Conv2d down6;
    private final Embedding noMaskEmbed;        // (1, C)

    public PromptEncoder(Weights w, PromptEncoderConfig cfg) {
        this.cfg = cfg;
        int c = cfg.embedDim();
        this.peLayer = new PositionEmbeddingRandom(w.sub("pe_layer"), c / 2);
        this.pointEmbeddings = new Embedding[4];
        for (int i = 0; i < 4; i++) {
            pointEmbeddings[i] = new Embedding(w.sub("point_embeddings").sub(i), 1, c);
        }
        this.notAPointEmbed = new Embedding(w.sub("not_a_point_embed"), 1, c);
        Weights md = w.sub("mask_downscaling");
        int mic = cfg.maskInChans();
        this.down0 = new Conv2d(md.sub(0), 1, mic / 4, 2, 2, 0, true);
        this.down1 = new LayerNorm2d(md.sub(1), mic / 4, LayerNorm2d.DEFAULT_EPS);
        this.down3 = new Conv2d(md.sub(3), mic / 4, mic, 2, 2, 0, true);
        this.down4 = new LayerNorm2d(md.sub(4), mic, LayerNorm2d.DEFAULT_EPS);
        this.down6 = new Conv2d(md.sub(6), mic, c, 1, 1, 0, true);
        this.noMaskEmbed = new Embedding(w.sub("no_mask_embed"), 1, c);
    }

    public PromptEncoderConfig config() {
        return cfg;
    }

    /** The positional encoding of the image embedding grid: (1, C, 64, 64). */
    public Tensor getDensePe(Backend backend) {
        return peLayer.forwardGrid(backend, cfg.imageEmbeddingSize(), cfg.imageEmbeddingSize()).unsqueeze(0);
    }

    /** Sparse and dense prompt embeddings. */
    public record Embeddings(Tensor sparse, Tensor dense) {
    }

    /**
     * points: coords (B, N, 2) in the 1024 input frame with labels (B, N) given as an int
     * array (1 foreground, 0 background, -1 padding), or null; boxes (B, 4) or null;
     * masks (B, 1, 256, 256) or null. Returns sparse (B, N', C) and dense (B, C, 64, 64).
     */
    public Embeddings forward(Backend be, Tensor pointCoords, int[][] pointLabels, Tensor boxes, Tensor masks) {
        int bs = pointCoords != null ? pointCoords.dim(0) : boxes != null ? boxes.dim(0) : masks != null ? masks.dim(0) : 1;
        List<Tensor> parts = new ArrayList<>();
        if (pointCoords != null) {
            parts.add(embedPoints(be, pointCoords, pointLabels, boxes == null));
        }
        if (boxes != null) {
            parts.add(embedBoxes(boxes));
        }
        Tensor sparse = parts.isEmpty() ? be.zeros(DType.F32, bs, 0, cfg.embedDim())
                : parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, 1);
        int g = cfg.imageEmbeddingSize();
        Tensor dense = masks != null ? embedMasks(masks)
                : noMaskEmbed.weight().reshape(1, -1, 1, 1).expand(bs, cfg.embedDim(), g, g);
        return new Embeddings(sparse, dense);
    }

    /** (B, N, 2) points + labels -> (B, N (+1 when padded), C). */
    private Tensor embedPoints(Backend be, Tensor points, int[][] labels, boolean pad) {
        int b = points.dim(0), n = points.dim(1);
        points = points.add(0.5f); // shift to the centre of the pixel
        int total = pad ? n + 1 : n;
        if (pad) {
            points = Tensor.concat(List.of(points, be.zeros(DType.F32, b, 1, 2)), 1);
        }
        Tensor pe = peLayer.forwardWithCoords(points, cfg.inputImageSize(), cfg.inputImageSize()); // B x N x C
        // Per point: keep (1) or zero (0) the encoding, then add the embedding of its label.
        float[] keep = new float[b * total];
        float[] which = new float[b * total];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < total; j++) {
                int label = j < n ? labels[i][j] : -1;
                if (label < -1 || label > 1) {
                    throw new IllegalArgumentException("point label " + label + " at prompt " + i + ", point " + j
                            + ": labels are 1 (foreground), 0 (background) or -1 (padding)");
                }
                keep[i * total + j] = label == -1 ? 0f : 1f;
                which[i * total + j] = label + 1;
            }
        }
        Tensor table = Tensor.concat(List.of(notAPointEmbed.weight(), pointEmbeddings[0].weight(),
                pointEmbeddings[1].weight()), 0); // 3 x C
        Tensor idx = Tensor.of(be, which, which.length).to(DType.I64);
        Tensor added = be.indexSelect(table, 0, idx).reshape(b, total, -1);
        return pe.mul(Tensor.of(be, keep, b, total, 1)).add(added);
    }

    /** (B, 4) boxes -> (B, 2, C): the two corners with their corner embeddings. */
    private Tensor embedBoxes(Tensor boxes) {
        boxes = boxes.add(0.5f);
        Tensor coords = boxes.reshape(-1, 2, 2);
        Tensor corners = peLayer.forwardWithCoords(coords, cfg.inputImageSize(), cfg.inputImageSize()); // B x 2 x C
        Tensor cornerEmb = Tensor.concat(List.of(pointEmbeddings[2].weight(), pointEmbeddings[3].weight()), 0); // 2 x C
        return corners.add(cornerEmb);
    }

    /** (B, 1, 256, 256) -> (B, C, 64, 64). */
    private Tensor embedMasks(Tensor masks) {
        Tensor x = down1.forward(down0.forward(masks)).gelu();
        x = down4.forward(down3.forward(x)).gelu();
        return down6.forward(x);
    }

    /** Positional encoding with random spatial frequencies (Tancik et al.), as the reference. */
    static final class PositionEmbeddingRandom {
        private final Tensor gaussian; // (2, C/2)

        PositionEmbeddingRandom(Weights w, int numPosFeats) {
            this.gaussian = w.get("positional_encoding_gaussian_matrix", 2, numPosFeats);
        }

        /** Points normalised to [0, 1]: (..., 2) -> (..., C) as [sin, cos] of 2 pi (2p - 1) G. */
        Tensor peEncoding(Tensor coords) {
            Tensor c = coords.mul(2f).sub(1f).matmul(gaussian).mul((float) (2 * Math.PI));
            return Tensor.concat(List.of(c.sin(), c.cos()), -1);
        }

        /** The encoding of every cell centre of an h x w grid: (C, h, w). */
        Tensor forwardGrid(Backend be, int h, int w) {
            float[] xy = new float[h * w * 2];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // ref: cumsum of ones minus 0.5, divided by the size, in float
                    xy[(y * w + x) * 2] = ((float) (x + 1) - 0.5f) / w;
                    xy[(y * w + x) * 2 + 1] = ((float) (y + 1) - 0.5f) / h;
                }
            }
            return peEncoding(Tensor.of(be, xy, h, w, 2)).permute(2, 0, 1);
        }

        /** Points in pixels of an (imageH, imageW) frame: (B, N, 2) -> (B, N, C). */
        Tensor forwardWithCoords(Tensor coords, int imageH, int imageW) {
            return peEncoding(coords.div(Tensor.of(coords.backend(), new float[] {imageW, imageH}, 2)));
        }
    }
}
