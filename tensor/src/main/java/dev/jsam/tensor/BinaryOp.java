package dev.jsam.tensor;

/**
 * Elementwise functions of two F32 operands (with broadcasting). Comparisons give 1.0 or 0.0.
 * {@link #reference(float, float)} is the oracle: IEEE float arithmetic, as PyTorch does it.
 * An enum: immutable, thread-safe.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN,
    /** a > b as 1.0 / 0.0 (used for mask thresholds). */
    GT;

    public float reference(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GT -> a > b ? 1f : 0f;
        };
    }
}
