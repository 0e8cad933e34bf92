package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Layout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The host-side packing that needs no GPU: the Geometry struct words (dim dropping and merging),
 * the allocator's size classes and the GemmArgs struct. Runs everywhere.
 */
class CudaGeometryTest {
    private static long[] shapeOf(long[] w) {
        long[] s = new long[(int) w[1]];
        System.arraycopy(w, 2, s, 0, s.length);
        return s;
    }

    private static long[] strides(long[] w, int operand) {
        long[] s = new long[(int) w[1]];
        System.arraycopy(w, 2 + Geometry.MAX_RANK + operand * Geometry.MAX_RANK, s, 0, s.length);
        return s;
    }

    @Test
    void contiguousOperandsMergeToOneDim() {
        int[] shape = {2, 3, 4};
        long[] w = Geometry.of(shape, Layout.rowMajorStrides(shape), Layout.rowMajorStrides(shape));
        assertEquals(Geometry.WORDS, w.length);
        assertEquals(24, w[0]);
        assertArrayEquals(new long[] {24}, shapeOf(w));
        assertArrayEquals(new long[] {1}, strides(w, 1));
    }

    @Test
    void transposeKeepsTwoDimsAndBroadcastKeepsZeroStride() {
        long[] w = Geometry.of(new int[] {3, 5}, new long[] {5, 1}, new long[] {1, 3}, new long[] {0, 1});
        assertArrayEquals(new long[] {3, 5}, shapeOf(w));
        assertArrayEquals(new long[] {1, 3}, strides(w, 1));
        assertArrayEquals(new long[] {0, 1}, strides(w, 2));
        assertEquals(1, w[2 + 2]);
    }

    @Test
    void sizeOneDimsAreDroppedAndEmptyRankIsAScalar() {
        long[] w = Geometry.of(new int[] {1, 4, 1}, new long[] {4, 1, 1}, new long[] {99, 2, 7});
        assertArrayEquals(new long[] {4}, shapeOf(w));
        assertArrayEquals(new long[] {2}, strides(w, 1));
        long[] scalar = Geometry.of(new int[0], new long[0]);
        assertEquals(1, scalar[0]);
        assertEquals(0, scalar[1]);
    }

    @Test
    void tooManyUnmergeableDimsFail() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        long[] strided = new long[9];
        for (int i = 0; i < 9; i++) {
            strided[i] = 1L << (2 * (8 - i));
        }
        assertThrows(IllegalArgumentException.class, () -> Geometry.of(shape, Layout.rowMajorStrides(shape), strided));
    }

    @Test
    void allocatorSizeClasses() {
        assertEquals(256, DeviceAllocator.roundUp(1));
        assertEquals(256, DeviceAllocator.roundUp(256));
        assertEquals(512, DeviceAllocator.roundUp(257));
        assertEquals(1 << 20, DeviceAllocator.roundUp((1 << 20) - 5));
        assertEquals(2 << 20, DeviceAllocator.roundUp((1 << 20) + 1));
        assertEquals(4 << 20, DeviceAllocator.roundUp((2 << 20) + 1));
    }

    @Test
    void gemmArgsPacksBiasModeAndActivationIntoTheLastWord() {
        GemmCall c = new GemmCall(null, 7, 1, null, 1, 7, 3, 4, 7, new int[0], new long[0], new long[0], null,
                GemmCall.BIAS_ROW, Activation.GELU);
        long[] s = c.argsStruct();
        assertArrayEquals(new long[] {3, 4, 7, 7, 1, 1, 7, 2L | (2L << 32)}, s);
        assertEquals(1, c.batchCount());
    }
}
