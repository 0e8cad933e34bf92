package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Fused attention softmax(scale q k^T + relH[i, j / kw] + relW[i, j % kw]) v, flash style (the
 * Nq x Nk score matrix never exists): checks the shapes and picks the kernel. Many queries run
 * with the queries across the vector lanes on the GEMM's register tile ({@link AttentionKeyRows});
 * fewer queries than the tile is wide, down its rows ({@link AttentionQueryRows}).
 */
final class Attention {
    private Attention() {
    }

    static Tensor attention(CpuBackend be, Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW) {
        return attention(Gemm.TILE, be, q, k, v, scale, relH, relW);
    }

    /** The same on the GEMM tile t (tests force each tile; a species wider than the hardware runs emulated). */
    static Tensor attention(GemmKernel t, CpuBackend be, Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW) {
        int bsz = q.dim(0), nq = q.dim(1), d = q.dim(2), nk = k.dim(1), dv = v.dim(2);
        if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3 || k.dim(0) != bsz || v.dim(0) != bsz || k.dim(2) != d
                || v.dim(1) != nk) {
            throw new IllegalArgumentException("attention shapes q " + q + " k " + k + " v " + v);
        }
        if ((relH == null) != (relW == null)) {
            throw new IllegalArgumentException("attention: relH and relW come together");
        }
        int kh = relH == null ? 0 : relH.dim(2), kw = relW == null ? 1 : relW.dim(2);
        if (relH != null && kh * kw != nk) {
            throw new IllegalArgumentException("attention: rel pos grid " + kh + "x" + kw + " != " + nk + " keys");
        }
        Src qs = new Src(be, q), ks = new Src(be, k), vs = new Src(be, v);
        Src rh = relH == null ? null : new Src(be, relH);
        Src rw = relW == null ? null : new Src(be, relW);
        float[] out = be.newFloats(Math.multiplyExact(bsz, Math.multiplyExact(nq, dv)));
        if (nq >= t.nr) {
            AttentionKeyRows.run(t, be.parallel(), qs, ks, vs, rh, rw, bsz, nq, nk, d, dv, kh, kw, scale, out);
        } else {
            AttentionQueryRows.run(be.parallel(), qs, ks, vs, rh, rw, bsz, nq, nk, d, dv, kh, kw, scale, out);
        }
        return be.result(out, bsz, nq, dv);
    }

    /** A rank-3 F32 input read through its strides. */
    record Src(MemorySegment seg, long off, long s0, long s1, long s2) {
        Src(CpuBackend be, Tensor t) {
            this(be.segment(checked(t)), t.layout().offset(), t.layout().stride(0), t.layout().stride(1), t.layout().stride(2));
        }

        private static Tensor checked(Tensor t) {
            CpuBackend.requireF32(t);
            return t;
        }

        /** t[a] as a strided matrix (rows along dim 1, columns along dim 2). */
        GemmOperand matrix(int a) {
            return new GemmOperand(seg, off + a * s0, s1, s2);
        }

        /** Copies t[a, b0 .. b0 + n, 0 .. len) into dst as n rows of len: one bulk copy when those rows are contiguous. */
        void rows(int a, int b0, int n, int len, float[] dst) {
            if (s2 == 1 && s1 == len) {
                MemorySegment.copy(seg, HostData.F32, (off + a * s0 + b0 * s1) * 4, dst, 0, n * len);
            } else {
                for (int i = 0; i < n; i++) {
                    row(a, b0 + i, dst, i * len, len);
                }
            }
        }

        /** Copies t[a, b, 0 .. len) into dst[at ..]: one bulk copy when the last dim is unit-stride. */
        void row(int a, int b, float[] dst, int at, int len) {
            long base = off + a * s0 + b * s1;
            if (s2 == 1) {
                MemorySegment.copy(seg, HostData.F32, base * 4, dst, at, len);
            } else {
                for (int c = 0; c < len; c++) {
                    dst[at + c] = seg.get(HostData.F32, (base + c * s2) * 4);
                }
            }
        }
    }
}
