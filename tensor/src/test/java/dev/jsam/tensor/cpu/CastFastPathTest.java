package dev.jsam.tensor.cpu;

import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The direct F32 -> U8 (masks) and U8 -> F32 (images) casts give what the per-element
 * HostData.put/get rules give, on odd values and on a strided view.
 */
class CastFastPathTest {
    @Test
    void f32ToU8AndBackFollowTheElementRules() {
        try (CpuBackend be = CpuBackend.create(2)) {
            float[] v = {0f, 1f, 0.99f, -1f, 255f, 256f, 300.7f, -0.5f, 3e9f, 1e20f, 7f, 128f};
            Tensor x = Tensor.of(be, v, 3, 4).transpose(0, 1);
            byte[] got = be.cast(x, DType.U8).toByteArray();
            float[] seen = x.toFloatArray();
            byte[] want = new byte[seen.length];
            MemorySegment w = MemorySegment.ofArray(want);
            for (int i = 0; i < seen.length; i++) {
                HostData.put(DType.U8, w, i, seen[i]);
            }
            assertArrayEquals(want, got);

            byte[] px = {0, 1, (byte) 127, (byte) 128, (byte) 255, 42};
            Tensor u = be.copyFromHost(DType.U8, MemorySegment.ofArray(px), 2, 3);
            float[] back = be.cast(u, DType.F32).toFloatArray();
            float[] expect = new float[px.length];
            for (int i = 0; i < px.length; i++) {
                expect[i] = (float) HostData.get(DType.U8, MemorySegment.ofArray(px), i);
            }
            assertArrayEquals(expect, back);
        }
    }
}
