package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * The fast contiguous copy of an F32 view (permute().contiguous() is everywhere in SAM):
 * dims collapsed by {@link Strided}; unit-stride runs copied as raw byte blocks (the heap
 * float[] result is read back little-endian, as on every platform the Vector API targets);
 * views whose last collapsed dim is strided but whose second-to-last is unit-stride (a
 * transpose, NHWC -> NCHW) copied in cache-sized square tiles; anything else element-wise.
 * Parallel over flat chunks or over (outer index, tile row).
 */
final class StridedCopy {
    private static final int TILE = 32;

    private StridedCopy() {
    }

    static Tensor contiguous(CpuBackend be, Tensor src) {
        float[] out = be.newFloats(Math.toIntExact(src.numel()));
        MemorySegment dst = MemorySegment.ofArray(out);
        MemorySegment seg = be.segment(src);
        Strided it = new Strided(src.shape(), src.layout(), null);
        int r = it.shape.length;
        long s = it.innerStrideA();
        if (r >= 2 && s != 1 && it.sa[r - 2] == 1 && it.shape[r - 1] >= 4 && it.shape[r - 2] >= 4) {
            transposed(be.parallel(), it, seg, out);
        } else {
            it.parallel(be.parallel(), (o, a, b, len) -> {
                if (s == 1) {
                    MemorySegment.copy(seg, a * 4, dst, o * 4, len * 4L);
                } else {
                    for (int i = 0, d = (int) o; i < len; i++, d++) {
                        out[d] = seg.get(HostData.F32, (a + i * s) * 4);
                    }
                }
            });
        }
        return be.result(out, src.shape());
    }

    /** out[..., i, j] = src at a + i * 1 + j * sc for the last two collapsed dims, in TILE x TILE blocks. */
    private static void transposed(Parallel par, Strided it, MemorySegment seg, float[] out) {
        int r = it.shape.length;
        int rows = it.shape[r - 2], cols = it.shape[r - 1];
        long sc = it.sa[r - 1];
        int outer = (int) (it.numel / ((long) rows * cols));
        int rowTiles = (rows + TILE - 1) / TILE;
        par.forRange(outer * rowTiles, 1, (from, to) -> {
            int[] idx = new int[r - 2];
            for (int t = from; t < to; t++) {
                int o = t / rowTiles, i0 = (t % rowTiles) * TILE, i1 = Math.min(rows, i0 + TILE);
                long base = it.offA;
                int rest = o;
                for (int d = r - 3; d >= 0; d--) {
                    idx[d] = rest % it.shape[d];
                    rest /= it.shape[d];
                    base += idx[d] * it.sa[d];
                }
                int obase = o * rows * cols;
                for (int j0 = 0; j0 < cols; j0 += TILE) {
                    int j1 = Math.min(cols, j0 + TILE);
                    for (int j = j0; j < j1; j++) {
                        long src = base + j * sc;
                        for (int i = i0; i < i1; i++) {
                            out[obase + i * cols + j] = seg.get(HostData.F32, (src + i) * 4);
                        }
                    }
                }
            }
        });
    }
}
