package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The host-side logic of CudaCopies that replaced two waits for the device: the bit pattern a
 * fill writes (it must be what casting the value on the CPU reference backend gives, for every
 * dtype, NaN, infinities, signed zero, rounding and out-of-range integers included), and the
 * decoding of index_select's fault words into the exception. No GPU needed.
 */
class CudaCopiesTest {
    @Test
    void fillPatternIsTheReferenceCastOfTheValue() {
        float[] values = {0f, -0f, 1f, -1f, 0.5f, -1.5f, 2.5f, 255.5f, 256f, 300f, -129f, 65504f, 65520f, 1e10f, -1e10f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 1.0039062f, 3.1415927f};
        try (Backend ref = CpuBackend.reference()) {
            for (DType dtype : DType.values()) {
                for (float v : values) {
                    byte[] want = Tensor.of(ref, new float[] {v}, 1).to(dtype).toByteArray();
                    long bits = CudaCopies.fillPattern(dtype, v);
                    byte[] got = new byte[dtype.byteSize()];
                    for (int i = 0; i < got.length; i++) {
                        got[i] = (byte) (bits >>> (8 * i));
                    }
                    assertEquals(MemorySegment.ofArray(want).mismatch(MemorySegment.ofArray(got)), -1L, dtype + " " + v);
                    assertEquals(0, dtype.byteSize() == 8 ? 0 : bits >>> (8 * dtype.byteSize()), dtype + " " + v + " high bytes");
                }
            }
        }
    }

    @Test
    void faultWordsNameTheIndexItsPositionAndTheLaunch() {
        List<String> launched = List.of("indexSelect on dim 0 of a", "indexSelect on dim 1 of b");
        assertNull(CudaCopies.indexFault(new long[] {0, 0, 0}, launched));
        assertEquals("index 9 at position 2 out of range in indexSelect on dim 1 of b (checked on the GPU, reported at the next"
                + " read-back)", CudaCopies.indexFault(new long[] {3, 9, 1}, launched).getMessage());
        assertEquals("index -1 at position 0 out of range in an indexSelect (checked on the GPU, reported at the next read-back)",
                CudaCopies.indexFault(new long[] {1, -1, 5}, launched).getMessage());
    }
}
