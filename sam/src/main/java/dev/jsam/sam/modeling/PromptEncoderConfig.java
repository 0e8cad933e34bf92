package dev.jsam.sam.modeling;

/**
 * Hyper-parameters of PromptEncoder (modeling/prompt_encoder.py).
 * Immutable, thread-safe.
 */
public record PromptEncoderConfig(int embedDim, int imageEmbeddingSize, int inputImageSize, int maskInChans) {
}
