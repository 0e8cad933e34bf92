package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fast bilinear resize is bit-identical to the reference (the conformance suite allows a
 * few ulp, for backends that may fuse), whatever the row-buffer grouping of the planes; and so
 * is the fused resize-crop-resize of mask postprocessing (which never holds the middle size for
 * all planes) against the reference's two resizes with a narrow between.
 */
class ResampleExactTest {
    @Test
    void separableBilinearEqualsTheReferenceBitForBit() {
        int[][] cases = {{2, 3, 16, 16, 64, 64}, {1, 3, 64, 48, 25, 40}, {1, 5, 7, 9, 14, 18}, {1, 1, 1, 1, 3, 3},
            {1, 2, 33, 17, 33, 17}};
        SplittableRandom r = new SplittableRandom(11);
        try (CpuBackend fast = CpuBackend.create(2); CpuBackend ref = CpuBackend.reference()) {
            for (int[] c : cases) {
                float[] v = new float[c[0] * c[1] * c[2] * c[3]];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextDouble() * 8 - 4);
                }
                float[] want = ref.interpolateBilinear(Tensor.of(ref, v, c[0], c[1], c[2], c[3]), c[4], c[5]).toFloatArray();
                Tensor x = Tensor.of(fast, v, c[0], c[1], c[2], c[3]);
                for (int buffer : new int[] {1, c[2] * c[5] * 2 + 1, 1 << 23}) {
                    assertArrayEquals(want, Resample.bilinear(fast, x, c[4], c[5], buffer).toFloatArray(), 0f,
                            Arrays.toString(c) + " buffer " + buffer);
                }
                Tensor permuted = Tensor.of(fast, v, c[0], c[1], c[2], c[3]).permute(0, 1, 3, 2).contiguous()
                        .permute(0, 1, 3, 2);
                assertArrayEquals(want, Resample.bilinear(fast, permuted, c[4], c[5], 1).toFloatArray(), 0f,
                        "permuted " + Arrays.toString(c));
            }
        }
    }

    @Test
    void resizeCropResizeEqualsTwoReferenceResizesBitForBit() {
        // {n, c, h, w, mid, cropH, cropW, outH, outW}: SAM's shape scaled down, a square crop, odd sizes, no-op crop
        int[][] cases = {{2, 3, 16, 16, 64, 43, 64, 27, 40}, {1, 1, 8, 8, 32, 32, 21, 100, 7}, {3, 2, 5, 7, 11, 11, 11, 11, 11},
            {1, 1, 1, 1, 4, 1, 3, 2, 5}};
        SplittableRandom r = new SplittableRandom(12);
        try (CpuBackend fast = CpuBackend.create(2); CpuBackend ref = CpuBackend.reference()) {
            for (int[] c : cases) {
                float[] v = new float[c[0] * c[1] * c[2] * c[3]];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextDouble() * 8 - 4);
                }
                Tensor mid = ref.interpolateBilinear(Tensor.of(ref, v, c[0], c[1], c[2], c[3]), c[4], c[4]);
                float[] want = ref.interpolateBilinear(mid.narrow(2, 0, c[5]).narrow(3, 0, c[6]), c[7], c[8]).toFloatArray();
                Tensor x = Tensor.of(fast, v, c[0], c[1], c[2], c[3]);
                assertArrayEquals(want, fast.interpolateBilinearCropped(x, c[4], c[4], c[5], c[6], c[7], c[8]).toFloatArray(),
                        0f, Arrays.toString(c));
                Tensor view = Tensor.of(fast, v, c[0], c[1], c[2], c[3]).permute(0, 1, 3, 2).contiguous().permute(0, 1, 3, 2);
                assertArrayEquals(want, fast.interpolateBilinearCropped(view, c[4], c[4], c[5], c[6], c[7], c[8])
                        .toFloatArray(), 0f, "strided " + Arrays.toString(c));
                assertArrayEquals(want, ref.interpolateBilinearCropped(Tensor.of(ref, v, c[0], c[1], c[2], c[3]), c[4], c[4],
                        c[5], c[6], c[7], c[8]).toFloatArray(), 0f, "reference default " + Arrays.toString(c));
                float[] shifted = new float[5 + v.length];
                System.arraycopy(v, 0, shifted, 5, v.length);
                Tensor inner = Tensor.of(fast, shifted, shifted.length).narrow(0, 5, v.length).reshape(c[0], c[1], c[2], c[3]);
                assertArrayEquals(want, fast.interpolateBilinearCropped(inner, c[4], c[4], c[5], c[6], c[7], c[8])
                        .toFloatArray(), 0f, "contiguous view at an offset " + Arrays.toString(c));
            }
        }
    }
}
