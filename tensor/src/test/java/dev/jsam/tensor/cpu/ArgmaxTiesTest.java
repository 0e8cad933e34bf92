package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** argmax picks the first of tied maxima and the first NaN, in the vector and the scalar paths. */
class ArgmaxTiesTest {
    @Test
    void firstMaximumAndFirstNaNWin() {
        float[] row = new float[21];
        row[3] = 5f;
        row[11] = 5f;
        row[19] = 5f;
        float[] nanRow = row.clone();
        nanRow[13] = Float.NaN;
        nanRow[17] = Float.NaN;
        float[] data = new float[42];
        System.arraycopy(row, 0, data, 0, 21);
        System.arraycopy(nanRow, 0, data, 21, 21);
        try (CpuBackend fast = CpuBackend.create(2); CpuBackend ref = CpuBackend.reference()) {
            float[] got = Tensor.of(fast, data, 2, 21).argmax(1, false).toFloatArray();
            assertArrayEquals(new float[] {3, 13}, got);
            assertArrayEquals(Tensor.of(ref, data, 2, 21).argmax(1, false).toFloatArray(), got);
            float[] cols = Tensor.of(fast, data, 2, 21).transpose(0, 1).contiguous().argmax(0, false).toFloatArray();
            assertArrayEquals(new float[] {3, 13}, cols);
        }
    }
}
