package dev.jsam.sam;

import dev.jsam.nn.Weights;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The identity of a model's image encoder, so that an embedding is never used with a model that
 * did not make it (every SAM size gives 1 x 256 x 64 x 64 features; another model's give silent
 * garbage). The fingerprint is a SHA-256 over, for every {@code image_encoder.*} tensor in sorted
 * key order, its key, dtype and shape as stored, then over the stored bytes of
 * {@code image_encoder.pos_embed} and the {@code image_encoder.neck.*} tensors (about 16 MB for
 * vit_b, hashed once at load). Two checkpoints with the same encoder (HQ-SAM's, whose decoder
 * differs) share embeddings; a converted F16 copy does not. Immutable, thread-safe.
 *
 * @param name   the model's configuration name (vit_b, vit_l, vit_h, custom ...), for messages
 * @param sha256 the fingerprint, 64 lowercase hex digits
 */
public record ModelId(String name, String sha256) {
    private static final String PREFIX = "image_encoder.";
    private static final int SHOWN_DIGITS = 12;

    public ModelId {
        if (name == null || sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a model id is a name and 64 lowercase hex digits, got " + name + " " + sha256);
        }
    }

    /** The identity of the image encoder in {@code source}, whose model is called {@code name}. */
    public static ModelId of(String name, Weights.Source source) {
        MessageDigest sha = newSha256();
        List<String> keys = source.keys().stream().filter(k -> k.startsWith(PREFIX)).sorted().toList();
        for (String k : keys) {
            sha.update((k + '\0' + source.dtype(k).safetensorsName() + Arrays.toString(source.shape(k)) + '\n')
                    .getBytes(StandardCharsets.UTF_8));
        }
        for (String k : keys) {
            if (k.equals(PREFIX + "pos_embed") || k.startsWith(PREFIX + "neck.")) {
                sha.update(source.get(k).toByteArray());
            }
        }
        return new ModelId(name, HexFormat.of().formatHex(sha.digest()));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The name and the first hex digits of the fingerprint: "vit_b (encoder 3f2a9c1d0b7e)". */
    @Override
    public String toString() {
        return name + " (encoder " + sha256.substring(0, SHOWN_DIGITS) + ")";
    }
}
