package dev.jsam.sam.serve;

import dev.jsam.sam.ImageEmbedding;
import dev.jsam.sam.image.RgbImage;

/**
 * One uploaded image as the server keeps it: its id, the decoded pixels (for automatic mask
 * generation) and the encoder's embedding (for prompts), with the time the encoder took.
 * Immutable; requests build their own predictor from it, so nothing here is shared mutably.
 */
record CachedImage(String id, RgbImage image, ImageEmbedding embedding, long encodeMillis) {

    /** Approximate heap held: the F32 features plus the RGB pixels. */
    long bytes() {
        return embedding.features().numel() * Float.BYTES + (long) image.width() * image.height() * 3;
    }
}
