package dev.jsam.tensor;

/**
 * The activation a fused linear layer applies to its output (the GEMM epilogue).
 * An enum: immutable, thread-safe.
 */
public enum Activation {
    NONE, RELU, GELU;

    /** The matching elementwise op, or null for NONE. */
    public UnaryOp op() {
        return switch (this) {
            case NONE -> null;
            case RELU -> UnaryOp.RELU;
            case GELU -> UnaryOp.GELU;
        };
    }
}
