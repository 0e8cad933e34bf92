package dev.jsam.tensor;

/**
 * Element types a tensor can hold. Compute kernels work in F32; the others exist for storage
 * (checkpoints, masks, images, indices) and for conversion to and from F32.
 * The safetensors name of each type is {@link #safetensorsName()}. An enum: immutable, thread-safe.
 */
public enum DType {
    F32(4, "F32"),
    F16(2, "F16"),
    BF16(2, "BF16"),
    F64(8, "F64"),
    I64(8, "I64"),
    I32(4, "I32"),
    I16(2, "I16"),
    I8(1, "I8"),
    U8(1, "U8"),
    BOOL(1, "BOOL");

    private final int byteSize;
    private final String safetensorsName;

    DType(int byteSize, String safetensorsName) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype string used in safetensors headers ("F32", "BF16", ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** True for the floating point types. */
    public boolean isFloating() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** Looks up a safetensors dtype name; throws naming the unknown string. */
    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.safetensorsName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown safetensors dtype \"" + name + "\"");
    }
}
