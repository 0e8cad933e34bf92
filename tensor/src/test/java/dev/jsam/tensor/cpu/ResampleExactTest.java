package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fast bilinear resize is bit-identical to the reference (the conformance suite allows a
 * few ulp, for backends that may fuse), whatever the row-buffer grouping of the planes.
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
}
