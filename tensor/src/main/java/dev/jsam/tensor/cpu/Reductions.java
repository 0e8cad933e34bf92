package dev.jsam.tensor.cpu;

import dev.jsam.tensor.DimSplit;
import dev.jsam.tensor.ReduceOp;
import dev.jsam.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Vector API sum / mean / max along one dim and softmax along the last dim, on a contiguous
 * copy of the input viewed as (outer, n, inner): inner == 1 reduces unit-stride rows, else
 * whole inner rows are combined vector-wise. Accumulation is fp32 in vector lanes.
 */
final class Reductions {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Reductions() {
    }

    /**
     * An F32 tensor made contiguous and seen as (outer, n, inner) around dim d: element (o, k, i)
     * at base + (o * n + k) * inner + i.
     */
    private record Split(MemorySegment seg, long base, int outer, int n, int inner) {
        static Split of(CpuBackend be, Tensor x, int d) {
            CpuBackend.requireF32(x);
            DimSplit s = DimSplit.of(x.shape(), d);
            Tensor c = be.contiguous(x);
            return new Split(be.segment(c), c.layout().offset(), s.outer(), s.n(), s.inner());
        }
    }

    static Tensor reduce(CpuBackend be, ReduceOp op, Tensor x, int dim, boolean keepDim) {
        int d = x.layout().axis(dim);
        Split split = Split.of(be, x, d);
        MemorySegment seg = split.seg();
        long base = split.base();
        int n = split.n(), in = split.inner();
        float[] out = be.newFloats(split.outer() * in);
        float identity = op == ReduceOp.MAX ? Float.NEGATIVE_INFINITY : 0f;
        boolean max = op == ReduceOp.MAX;
        float post = op == ReduceOp.MEAN ? n : 1f;
        be.parallel().forRange(split.outer(), Math.max(1, (1 << 14) / Math.max(1, n * in)), (from, to) -> {
            for (int o = from; o < to; o++) {
                long row = base + (long) o * n * in;
                if (in == 1) {
                    out[o] = reduceRow(seg, row, n, max) / post;
                    continue;
                }
                java.util.Arrays.fill(out, o * in, (o + 1) * in, identity);
                for (int k = 0; k < n; k++) {
                    combineRow(seg, row + (long) k * in, out, o * in, in, max);
                }
                if (op == ReduceOp.MEAN) {
                    for (int i = o * in; i < (o + 1) * in; i++) {
                        out[i] /= n;
                    }
                }
            }
        });
        return be.result(out, DimSplit.reducedShape(x.shape(), d, keepDim));
    }

    /**
     * The max or sum of a row: a vector at a time into lane accumulators, the last n % L added to
     * the lanes they would have had in scalar code (no masks, for the reason at softmaxRow), then
     * the lanes in order.
     */
    private static float reduceRow(MemorySegment seg, long off, int n, boolean max) {
        FloatVector acc = FloatVector.broadcast(S, max ? Float.NEGATIVE_INFINITY : 0f);
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(S, seg, (off + i) * 4, LE);
            acc = max ? acc.max(v) : acc.add(v);
        }
        float[] lanes = new float[L];
        acc.intoArray(lanes, 0);
        for (int i = bound; i < n; i++) {
            float v = seg.get(HostData.F32, (off + i) * 4);
            lanes[i - bound] = max ? Math.max(lanes[i - bound], v) : lanes[i - bound] + v;
        }
        float r = max ? Float.NEGATIVE_INFINITY : 0f;
        for (float v : lanes) {
            r = max ? Math.max(r, v) : r + v;
        }
        return r;
    }

    /** out[o, o + len) = out max/+ row. */
    private static void combineRow(MemorySegment seg, long off, float[] out, int o, int len, boolean max) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(S, seg, (off + i) * 4, LE);
            FloatVector a = FloatVector.fromArray(S, out, o + i);
            (max ? a.max(v) : a.add(v)).intoArray(out, o + i);
        }
        for (; i < len; i++) {
            float v = seg.get(HostData.F32, (off + i) * 4);
            out[o + i] = max ? Math.max(out[o + i], v) : out[o + i] + v;
        }
    }

    static Tensor softmax(CpuBackend be, Tensor x) {
        CpuBackend.requireF32(x);
        Tensor c = be.contiguous(x);
        MemorySegment seg = be.segment(c);
        long base = c.layout().offset();
        int n = x.rank() == 0 ? 1 : x.dim(-1);
        float[] out = be.newFloats(Math.toIntExact(x.numel()));
        int rows = n == 0 ? 0 : Math.toIntExact(x.numel() / n);
        be.parallel().forRange(rows, Math.max(1, (1 << 13) / Math.max(1, n)), (from, to) -> {
            for (int r = from; r < to; r++) {
                softmaxRow(seg, base + (long) r * n, out, r * n, n);
            }
        });
        return be.result(out, x.shape());
    }

    /**
     * out[o, o + n) = softmax of the row: exp(x - max) a vector at a time, summed lane-wise, the
     * last n % L in scalar code (the scalar {@link VecMath#exp(float)} is bit for bit the vector
     * exp, and each goes to the lane sum its vector lane would have), then scaled by 1 / sum.
     * No masks: a masked tail made C2 throw this method's code away each time a row length first
     * took another branch inside the Vector API's mask code (rows of 4096 and of 7 keys in the
     * decoder), and each time the profiling tier boxed every vector until C2 compiled it again.
     */
    private static void softmaxRow(MemorySegment seg, long off, float[] out, int o, int n) {
        float max = reduceRow(seg, off, n, true);
        FloatVector mv = FloatVector.broadcast(S, max);
        FloatVector sum = FloatVector.zero(S);
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += L) {
            FloatVector e = VecMath.expNonPositive(FloatVector.fromMemorySegment(S, seg, (off + i) * 4, LE).sub(mv));
            e.intoArray(out, o + i);
            sum = sum.add(e);
        }
        float[] lanes = new float[L];
        sum.intoArray(lanes, 0);
        for (int i = bound; i < n; i++) {
            float e = VecMath.exp(seg.get(HostData.F32, (off + i) * 4) - max);
            out[o + i] = e;
            lanes[i - bound] += e;
        }
        float total = 0f;
        for (float v : lanes) {
            total += v;
        }
        float inv = 1f / total;
        FloatVector vinv = FloatVector.broadcast(S, inv);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, out, o + i).mul(vinv).intoArray(out, o + i);
        }
        for (; i < n; i++) {
            out[o + i] *= inv;
        }
    }

    /**
     * Index of the first maximum along dim d (NaN counts as the maximum, the first NaN wins), as
     * floats for the caller to cast: rows of the last dim are scanned with vectors (the maximum,
     * then the first lane equal to it); along other dims a vector of columns at a time.
     */
    static float[] argmax(CpuBackend be, Tensor x, int d) {
        Split split = Split.of(be, x, d);
        MemorySegment seg = split.seg();
        long base = split.base();
        int n = split.n(), in = split.inner();
        float[] out = be.newFloats(split.outer() * in);
        be.parallel().forRange(split.outer(), 1, (from, to) -> {
            for (int o = from; o < to; o++) {
                if (in == 1) {
                    out[o] = argmaxRow(seg, base + (long) o * n, n);
                } else {
                    argmaxColumns(seg, base + (long) o * n * in, n, in, out, o * in);
                }
            }
        });
        return out;
    }

    private static int argmaxRow(MemorySegment seg, long off, int n) {
        int bound = S.loopBound(n);
        FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < bound; i += L) {
            mx = mx.max(FloatVector.fromMemorySegment(S, seg, (off + i) * 4, LE));
        }
        float m = mx.reduceLanes(VectorOperators.MAX);
        for (int i = bound; i < n; i++) {
            m = Math.max(m, seg.get(HostData.F32, (off + i) * 4));
        }
        boolean nan = Float.isNaN(m);
        for (int i = 0; i < bound; i += L) {
            FloatVector v = FloatVector.fromMemorySegment(S, seg, (off + i) * 4, LE);
            VectorMask<Float> hit = nan ? v.test(VectorOperators.IS_NAN) : v.compare(VectorOperators.EQ, m);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (int i = bound; i < n; i++) {
            float v = seg.get(HostData.F32, (off + i) * 4);
            if (nan ? Float.isNaN(v) : v == m) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Argmax over the middle dim of an (n, inner) block for every column, a vector of columns at
     * a time: the running best and its index are blended in where a row beats it (greater, or
     * the first NaN, as the reference), so the first maximum wins as in a scalar scan.
     */
    private static void argmaxColumns(MemorySegment seg, long off, int n, int inner, float[] out, int o) {
        int bound = S.loopBound(inner);
        for (int j = 0; j < bound; j += L) {
            FloatVector best = FloatVector.fromMemorySegment(S, seg, (off + j) * 4, LE);
            FloatVector at = FloatVector.zero(S);
            for (int k = 1; k < n; k++) {
                FloatVector v = FloatVector.fromMemorySegment(S, seg, (off + (long) k * inner + j) * 4, LE);
                VectorMask<Float> take = v.compare(VectorOperators.GT, best)
                        .or(v.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN)));
                best = best.blend(v, take);
                at = at.blend(k, take);
            }
            at.intoArray(out, o + j);
        }
        for (int j = bound; j < inner; j++) {
            float best = seg.get(HostData.F32, (off + j) * 4);
            for (int k = 1; k < n; k++) {
                float v = seg.get(HostData.F32, (off + (long) k * inner + j) * 4);
                if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                    best = v;
                    out[o + j] = k;
                }
            }
        }
    }
}
