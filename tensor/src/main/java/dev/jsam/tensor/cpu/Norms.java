package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Vector API LayerNorm over the last dim (rows) and SAM's LayerNorm2d over dim 1 of NCHW
 * (vectorised across the H*W positions, channels looped), two-pass mean and biased variance
 * in fp32, on a contiguous copy of the input. Parallel over rows / (image, position chunk).
 */
final class Norms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int CHUNK = 256;

    private Norms() {
    }

    static Tensor layerNorm(CpuBackend be, Tensor x, Tensor weight, Tensor bias, float eps) {
        CpuBackend.requireF32(x);
        Tensor c = be.contiguous(x);
        MemorySegment seg = be.segment(c);
        long base = c.layout().offset();
        int n = x.dim(-1);
        float[] w = be.floats(weight), b = be.floats(bias);
        float[] out = be.newFloats(Math.toIntExact(x.numel()));
        int rows = n == 0 ? 0 : Math.toIntExact(x.numel() / n);
        be.parallel().forRange(rows, Math.max(1, 4096 / Math.max(1, n)), (from, to) -> {
            for (int r = from; r < to; r++) {
                row(seg, base + (long) r * n, n, w, b, eps, out, r * n);
            }
        });
        return be.result(out, x.shape());
    }

    /** One row; split in three small methods so C1 can compile each (one big one ran out of registers and never reached C2). */
    private static void row(MemorySegment seg, long off, int n, float[] w, float[] b, float eps, float[] out, int o) {
        float mean = rowSum(seg, off, n) / n;
        float inv = (float) (1.0 / Math.sqrt(rowSquares(seg, off, n, mean) / n + eps));
        rowWrite(seg, off, n, mean, inv, w, b, out, o);
    }

    private static float rowSum(MemorySegment seg, long off, int n) {
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            acc = acc.add(FloatVector.fromMemorySegment(S, seg, (off + i) * 4, LE));
        }
        float sum = VecMath.sum(acc);
        for (int i = bound; i < n; i++) {
            sum += seg.get(HostData.F32, (off + i) * 4);
        }
        return sum;
    }

    private static float rowSquares(MemorySegment seg, long off, int n, float mean) {
        int bound = S.loopBound(n);
        FloatVector mv = FloatVector.broadcast(S, mean);
        FloatVector sq = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector dv = FloatVector.fromMemorySegment(S, seg, (off + i) * 4, LE).sub(mv);
            sq = dv.fma(dv, sq);
        }
        float sum = VecMath.sum(sq);
        for (int i = bound; i < n; i++) {
            float dv = seg.get(HostData.F32, (off + i) * 4) - mean;
            sum += dv * dv;
        }
        return sum;
    }

    private static void rowWrite(MemorySegment seg, long off, int n, float mean, float inv, float[] w, float[] b,
                                 float[] out, int o) {
        int bound = S.loopBound(n);
        FloatVector mv = FloatVector.broadcast(S, mean);
        FloatVector iv = FloatVector.broadcast(S, inv);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(S, seg, (off + i) * 4, LE).sub(mv).mul(iv);
            v.fma(FloatVector.fromArray(S, w, i), FloatVector.fromArray(S, b, i)).intoArray(out, o + i);
        }
        for (int i = bound; i < n; i++) {
            out[o + i] = Math.fma((seg.get(HostData.F32, (off + i) * 4) - mean) * inv, w[i], b[i]);
        }
    }

    static Tensor layerNorm2d(CpuBackend be, Tensor x, Tensor weight, Tensor bias, float eps) {
        CpuBackend.requireF32(x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("layerNorm2d wants (N, C, H, W), got " + x);
        }
        Tensor c = be.contiguous(x);
        MemorySegment seg = be.segment(c);
        long base = c.layout().offset();
        int nb = x.dim(0), ch = x.dim(1), plane = x.dim(2) * x.dim(3);
        float[] w = be.floats(weight), b = be.floats(bias);
        float[] out = be.newFloats(Math.toIntExact(x.numel()));
        int chunks = (plane + CHUNK - 1) / CHUNK;
        be.parallel().forRange(nb * chunks, 1, (from, to) -> {
            float[] mean = new float[CHUNK], inv = new float[CHUNK];
            for (int t = from; t < to; t++) {
                int img = t / chunks, p0 = (t % chunks) * CHUNK, len = Math.min(CHUNK, plane - p0);
                long in = base + (long) img * ch * plane + p0;
                int o = img * ch * plane + p0;
                stats(seg, in, ch, plane, len, eps, mean, inv);
                for (int k = 0; k < ch; k++) {
                    FloatVector wk = FloatVector.broadcast(S, w[k]), bk = FloatVector.broadcast(S, b[k]);
                    long src = in + (long) k * plane;
                    int dst = o + k * plane;
                    for (int i = 0; i < len; i += L) {
                        VectorMask<Float> m = S.indexInRange(i, len);
                        FloatVector v = FloatVector.fromMemorySegment(S, seg, (src + i) * 4, LE, m)
                                .sub(FloatVector.fromArray(S, mean, i)).mul(FloatVector.fromArray(S, inv, i));
                        v.fma(wk, bk).intoArray(out, dst + i, m);
                    }
                }
            }
        });
        return be.result(out, x.shape());
    }

    /** Per position of [in, in + len): mean over the ch channel planes and 1 / sqrt(var + eps). */
    private static void stats(MemorySegment seg, long in, int ch, int plane, int len, float eps, float[] mean, float[] inv) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector acc = FloatVector.zero(S);
            for (int k = 0; k < ch; k++) {
                acc = acc.add(FloatVector.fromMemorySegment(S, seg, (in + (long) k * plane + i) * 4, LE, m));
            }
            FloatVector mv = acc.div(ch);
            FloatVector sq = FloatVector.zero(S);
            for (int k = 0; k < ch; k++) {
                FloatVector dv = FloatVector.fromMemorySegment(S, seg, (in + (long) k * plane + i) * 4, LE, m).sub(mv);
                sq = dv.fma(dv, sq);
            }
            FloatVector iv = FloatVector.broadcast(S, 1f).div(sq.div(ch).add(eps).sqrt());
            mv.intoArray(mean, i);
            iv.intoArray(inv, i);
        }
    }
}
