package dev.jsam.serve;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;

/**
 * One uploaded image as the server keeps it: its id, the decoded pixels (for automatic mask
 * generation), a predictor holding the encoder's embedding and the decoder's image side (each
 * prompt request takes its own {@link SamPredictor#sharingImage()} of it), the time the encoder
 * took, and the bytes all this holds, fixed when it is made so the cache's count stays exact.
 */
record CachedImage(String id, RgbImage image, SamPredictor prompts, long encodeMillis, long bytes) {

    /** The entry for a predictor whose image is set; computes its decoder image side now, so bytes counts it. */
    static CachedImage of(String id, RgbImage image, SamPredictor prompts, long encodeMillis) {
        prompts.sharingImage();
        return new CachedImage(id, image, prompts, encodeMillis, prompts.heldBytes() + (long) image.width() * image.height() * 3);
    }
}
