package dev.jsam.tensor;

/**
 * Elementwise functions of one F32 operand. {@link #reference(float)} is the oracle every
 * backend is tested against: computed in double from the float input, then rounded once.
 * An enum: immutable, thread-safe.
 */
public enum UnaryOp {
    NEG, ABS, EXP, SIN, COS, SQRT, RELU, SIGMOID,
    /** PyTorch's default nn.GELU: x * Phi(x) with the exact erf, not the tanh approximation. */
    GELU;

    public float reference(float x) {
        double v = x;
        return (float) switch (this) {
            case NEG -> -v;
            case ABS -> Math.abs(v);
            case EXP -> Math.exp(v);
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
            case SQRT -> Math.sqrt(v);
            case RELU -> v > 0 ? v : 0.0;
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-v));
            case GELU -> 0.5 * v * Erf.erfc(-v / Math.sqrt(2.0));
        };
    }
}
