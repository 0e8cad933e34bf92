package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * The fast contiguous copy of an F32 view (permute().contiguous() is everywhere in SAM):
 * dims collapsed by {@link Strided}, unit-stride runs copied as blocks, parallel over flat
 * chunks. Views whose innermost run is strided are gathered element by element. F32 only.
 */
final class StridedCopy {
    private StridedCopy() {
    }

    static Tensor contiguous(CpuBackend be, Tensor src) {
        float[] out = new float[Math.toIntExact(src.numel())];
        MemorySegment seg = be.segment(src);
        Strided it = new Strided(src.shape(), src.layout(), null);
        long s = it.innerStrideA();
        it.parallel(be.parallel(), (o, a, b, len) -> {
            if (s == 1) {
                MemorySegment.copy(seg, HostData.F32, a * 4, out, (int) o, len);
            } else {
                for (int i = 0, d = (int) o; i < len; i++, d++) {
                    out[d] = seg.get(HostData.F32, (a + i * s) * 4);
                }
            }
        });
        return be.wrap(out, src.shape());
    }
}
