package dev.jsam.tensor.cpu;

import java.lang.foreign.MemorySegment;

/**
 * A strided F32 matrix in any memory segment: element (i, j) is the little-endian float at
 * element index off + i * rs + j * cs. This is how GEMM reads transposed views, weights stored
 * (N, K) and broadcast (stride 0) operands without copying them first.
 */
record GemmOperand(MemorySegment seg, long off, long rs, long cs) {
    /** The operand with rows and columns swapped. */
    GemmOperand transposed() {
        return new GemmOperand(seg, off, cs, rs);
    }
}
