package dev.jsam.sam.modeling;

import dev.jsam.nn.Conv2d;
import dev.jsam.nn.LayerNorm2d;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Tensor;

/**
 * The image encoders' neck (image_encoder.py ImageEncoderViT.neck, and the copy in
 * tiny_vit_sam.py TinyViT.neck): a 1x1 convolution to the embedding width, LayerNorm2d, a 3x3
 * convolution, LayerNorm2d; no biases. Keys neck.0 .. neck.3. Immutable; thread-safe.
 */
final class Neck {
    private final Conv2d neck0;
    private final LayerNorm2d neck1;
    private final Conv2d neck2;
    private final LayerNorm2d neck3;

    Neck(Weights w, int in, int out) {
        this.neck0 = new Conv2d(w.sub(0), in, out, 1, 1, 0, false);
        this.neck1 = new LayerNorm2d(w.sub(1), out, LayerNorm2d.DEFAULT_EPS);
        this.neck2 = new Conv2d(w.sub(2), out, out, 3, 1, 1, false);
        this.neck3 = new LayerNorm2d(w.sub(3), out, LayerNorm2d.DEFAULT_EPS);
    }

    /** (B, in, H, W) -> (B, out, H, W). */
    Tensor forward(Tensor x) {
        return neck3.forward(neck2.forward(neck1.forward(neck0.forward(x))));
    }
}
