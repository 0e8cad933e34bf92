package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Strips of rows, single columns and crops of a larger plane give exactly the floats of the CPU
 * backend's whole-plane bilinear resize (up, down, odd sizes, strips of one row, rows visited
 * backwards).
 */
class PlaneResamplerTest {
    @Test
    void stripsColumnsAndCropsEqualTheWholeResizeBitForBit() {
        int[][] cases = {{16, 16, 64, 64}, {64, 48, 25, 40}, {7, 9, 1000, 13}, {1, 1, 3, 3}, {33, 17, 33, 17},
            {256, 256, 97, 301}};
        SplittableRandom r = new SplittableRandom(5);
        try (CpuBackend be = CpuBackend.create(2)) {
            for (int[] c : cases) {
                int h = c[0], w = c[1], outH = c[2], outW = c[3], stride = w + 3, off = 2;
                float[] big = new float[off + h * stride];
                for (int i = 0; i < big.length; i++) {
                    big[i] = (float) (r.nextDouble() * 8 - 4);
                }
                float[] crop = new float[h * w];
                for (int y = 0; y < h; y++) {
                    System.arraycopy(big, off + y * stride, crop, y * w, w);
                }
                float[] want = be.interpolateBilinear(Tensor.of(be, crop, 1, 1, h, w), outH, outW).toFloatArray();
                PlaneResampler p = new PlaneResampler(big, off, stride, h, w, outH, outW);
                for (int strip : new int[] {1, 3, outH}) {
                    float[] got = new float[outH * outW];
                    for (int y = 0; y < outH; y += strip) {
                        p.rows(y, Math.min(outH, y + strip), got, y * outW);
                    }
                    assertArrayEquals(want, got, 0f, Arrays.toString(c) + " strips of " + strip);
                }
                float[] backwards = new float[outH * outW];
                for (int y = outH - 1; y >= 0; y--) {
                    p.rows(y, y + 1, backwards, y * outW);
                }
                assertArrayEquals(want, backwards, 0f, Arrays.toString(c) + " backwards");
                float[] col = new float[outH];
                float[] byColumns = new float[outH * outW];
                for (int x = 0; x < outW; x++) {
                    p.column(x, col);
                    for (int y = 0; y < outH; y++) {
                        byColumns[y * outW + x] = col[y];
                    }
                }
                assertArrayEquals(want, byColumns, 0f, Arrays.toString(c) + " columns");
            }
        }
    }

    @Test
    void refusesPlanesThatDoNotFitAndRowsOutsideTheOutput() {
        assertThrows(IllegalArgumentException.class, () -> new PlaneResampler(new float[10], 0, 4, 3, 4, 5, 5));
        PlaneResampler p = new PlaneResampler(new float[12], 0, 4, 3, 4, 5, 5);
        assertThrows(IndexOutOfBoundsException.class, () -> p.rows(4, 6, new float[10], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> p.rows(0, 2, new float[9], 0));
        assertThrows(IndexOutOfBoundsException.class, () -> p.column(5, new float[5]));
    }
}
