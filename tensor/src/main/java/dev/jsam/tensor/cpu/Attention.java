package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Layout;
import dev.jsam.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused attention softmax(scale q k^T + relH[i, j / kw] + relW[i, j % kw]) v, flash style: per
 * (batch, block of QB queries) the keys are visited in blocks of KB, scores for one block
 * only, with an online softmax (running max and sum, rescaling the output accumulator), so
 * the Nq x Nk matrix never exists. K blocks are packed transposed, V blocks row-major, both
 * zero-padded to whole vectors; padded keys get score -inf. Parallel over (batch, query block).
 */
final class Attention {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int QB = 64;
    private static final int KB = 8 * L;

    private Attention() {
    }

    static Tensor attention(CpuBackend be, Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW) {
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
        float[] out = new float[Math.multiplyExact(bsz, Math.multiplyExact(nq, dv))];
        int qBlocks = (nq + QB - 1) / QB;
        int dvPad = Gemm.roundUp(Math.max(dv, 1), 4 * L);
        int kwFinal = kw;
        be.parallel().forRange(bsz * qBlocks, 1, (from, to) -> {
            Block blk = new Block(d, dvPad);
            for (int t = from; t < to; t++) {
                int b = t / qBlocks;
                int i0 = (t % qBlocks) * QB;
                int rows = Math.min(QB, nq - i0);
                blk.run(qs, ks, vs, rh, rw, kwFinal, b, i0, rows, nq, nk, dv, scale, out);
            }
        });
        return be.wrap(out, bsz, nq, dv);
    }

    /** A rank-3 F32 input read through its strides. */
    private record Src(java.lang.foreign.MemorySegment seg, long off, long s0, long s1, long s2) {
        Src(CpuBackend be, Tensor t) {
            this(be.segment(checked(t)), t.layout().offset(), t.layout().stride(0), t.layout().stride(1), t.layout().stride(2));
        }

        private static Tensor checked(Tensor t) {
            CpuBackend.requireF32(t);
            return t;
        }

        float get(int a, int b, int c) {
            return seg.get(HostData.F32, (off + a * s0 + b * s1 + c * s2) * 4);
        }
    }

    /** Per-task buffers and the work on one query block. */
    private static final class Block {
        final int d, dvPad;
        final float[] qp, kt, vp, s, o, m, l;

        Block(int d, int dvPad) {
            this.d = d;
            this.dvPad = dvPad;
            qp = new float[QB * d];
            kt = new float[d * KB];
            vp = new float[KB * dvPad];
            s = new float[KB];
            o = new float[QB * dvPad];
            m = new float[QB];
            l = new float[QB];
        }

        void run(Src q, Src k, Src v, Src rh, Src rw, int kw, int b, int i0, int rows, int nq, int nk, int dv,
                 float scale, float[] out) {
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < d; c++) {
                    qp[i * d + c] = q.get(b, i0 + i, c) * scale;
                }
            }
            java.util.Arrays.fill(o, 0, rows * dvPad, 0f);
            java.util.Arrays.fill(m, 0, rows, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(l, 0, rows, 0f);
            for (int j0 = 0; j0 < nk; j0 += KB) {
                int kb = Math.min(KB, nk - j0);
                pack(k, v, b, j0, kb, dv);
                for (int i = 0; i < rows; i++) {
                    scores(i);
                    int y = j0 / kw, x = j0 % kw;
                    for (int j = 0; j < KB; j++) {
                        if (j >= kb) {
                            s[j] = Float.NEGATIVE_INFINITY;
                        } else if (rh != null) {
                            s[j] += rh.get(b, i0 + i, y) + rw.get(b, i0 + i, x);
                            if (++x == kw) {
                                x = 0;
                                y++;
                            }
                        }
                    }
                    softmaxStep(i);
                    accumulate(i);
                }
            }
            for (int i = 0; i < rows; i++) {
                float inv = 1f / l[i];
                int dst = ((b * nq) + i0 + i) * dv;
                for (int c = 0; c < dv; c++) {
                    out[dst + c] = o[i * dvPad + c] * inv;
                }
            }
        }

        /** Packs K[j0, j0 + kb) transposed into kt (d x KB) and V[j0, j0 + kb) into vp (KB x dvPad), zero-padded. */
        private void pack(Src k, Src v, int b, int j0, int kb, int dv) {
            for (int j = 0; j < KB; j++) {
                boolean in = j < kb;
                for (int c = 0; c < d; c++) {
                    kt[c * KB + j] = in ? k.get(b, j0 + j, c) : 0f;
                }
                int row = j * dvPad;
                for (int c = 0; c < dvPad; c++) {
                    vp[row + c] = in && c < dv ? v.get(b, j0 + j, c) : 0f;
                }
            }
        }

        /** s[0, KB) = q_i . k_j for the packed block, four vectors of keys at a time. */
        private void scores(int i) {
            int qi = i * d;
            for (int jv = 0; jv < KB; jv += 4 * L) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
                int ko = jv;
                for (int c = 0; c < d; c++) {
                    FloatVector qc = FloatVector.broadcast(S, qp[qi + c]);
                    a0 = qc.fma(FloatVector.fromArray(S, kt, ko), a0);
                    a1 = qc.fma(FloatVector.fromArray(S, kt, ko + L), a1);
                    a2 = qc.fma(FloatVector.fromArray(S, kt, ko + 2 * L), a2);
                    a3 = qc.fma(FloatVector.fromArray(S, kt, ko + 3 * L), a3);
                    ko += KB;
                }
                a0.intoArray(s, jv);
                a1.intoArray(s, jv + L);
                a2.intoArray(s, jv + 2 * L);
                a3.intoArray(s, jv + 3 * L);
            }
        }

        /** Online softmax: new running max, s := exp(s - max), rescales row i's sum and output. */
        private void softmaxStep(int i) {
            FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < KB; j += L) {
                mx = mx.max(FloatVector.fromArray(S, s, j));
            }
            float mNew = Math.max(m[i], mx.reduceLanes(VectorOperators.MAX));
            FloatVector mv = FloatVector.broadcast(S, mNew);
            FloatVector sum = FloatVector.zero(S);
            for (int j = 0; j < KB; j += L) {
                FloatVector p = VecMath.exp(FloatVector.fromArray(S, s, j).sub(mv));
                p.intoArray(s, j);
                sum = sum.add(p);
            }
            float alpha = m[i] == Float.NEGATIVE_INFINITY ? 0f
                    : VecMath.exp(FloatVector.broadcast(S, m[i] - mNew)).lane(0);
            l[i] = l[i] * alpha + VecMath.sum(sum);
            m[i] = mNew;
            if (alpha != 1f) {
                FloatVector av = FloatVector.broadcast(S, alpha);
                for (int c = i * dvPad, e = c + dvPad; c < e; c += L) {
                    FloatVector.fromArray(S, o, c).mul(av).intoArray(o, c);
                }
            }
        }

        /** o_i += p . V for the packed block, four output vectors at a time. */
        private void accumulate(int i) {
            int oi = i * dvPad;
            for (int cv = 0; cv < dvPad; cv += 4 * L) {
                FloatVector a0 = FloatVector.fromArray(S, o, oi + cv);
                FloatVector a1 = FloatVector.fromArray(S, o, oi + cv + L);
                FloatVector a2 = FloatVector.fromArray(S, o, oi + cv + 2 * L);
                FloatVector a3 = FloatVector.fromArray(S, o, oi + cv + 3 * L);
                int vo = cv;
                for (int j = 0; j < KB; j++) {
                    FloatVector p = FloatVector.broadcast(S, s[j]);
                    a0 = p.fma(FloatVector.fromArray(S, vp, vo), a0);
                    a1 = p.fma(FloatVector.fromArray(S, vp, vo + L), a1);
                    a2 = p.fma(FloatVector.fromArray(S, vp, vo + 2 * L), a2);
                    a3 = p.fma(FloatVector.fromArray(S, vp, vo + 3 * L), a3);
                    vo += dvPad;
                }
                a0.intoArray(o, oi + cv);
                a1.intoArray(o, oi + cv + L);
                a2.intoArray(o, oi + cv + 2 * L);
                a3.intoArray(o, oi + cv + 3 * L);
            }
        }
    }
}
