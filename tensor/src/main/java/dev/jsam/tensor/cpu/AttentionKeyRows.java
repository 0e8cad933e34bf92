package dev.jsam.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused attention for many queries, transposed: per (batch, block of NR queries, NR the GEMM
 * tile's width) the scores of a block of keys are computed as S^T = K Q^T, keys down the rows and
 * queries across the vector lanes, on the GEMM's own register tile ({@link GemmKernel#run}: K
 * packed as its A panels, the scaled Q^T as its B panel), and the output as O^T += V^T P^T on the
 * same tile (V^T packed as A panels, the probabilities as the B panel). With a query per lane the
 * online softmax is lane-wise: running max, sum and rescale per query are plain vector ops with
 * no horizontal reductions, and keys need no padding mask (the softmax and P V stop at the last
 * key). Scores start from the rel-pos bias relH[i, j / kw] + relW[i, j % kw] (or zero) and the
 * tile adds q k to it. Not for a handful of queries: a block has NR lanes whatever nq is
 * ({@link AttentionQueryRows} does those).
 */
final class AttentionKeyRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Each thread's block buffers, grown to the largest problem it has run and reused by every call after. */
    private static final ThreadLocal<Block> SCRATCH = ThreadLocal.withInitial(Block::new);

    private AttentionKeyRows() {
    }

    /** Runs every (batch, query block) of the problem on tile t, writing out (bsz, nq, dv) row-major. */
    static void run(GemmKernel t, Parallel par, Attention.Src q, Attention.Src k, Attention.Src v, Attention.Src rh,
                    Attention.Src rw, int bsz, int nq, int nk, int d, int dv, int kh, int kw, float scale, float[] out) {
        int qBlocks = (nq + t.nr - 1) / t.nr;
        par.forRange(bsz * qBlocks, 1, (from, to) -> {
            Block blk = SCRATCH.get().fit(t, d, dv, nk, kh, kw);
            for (int w = from; w < to; w++) {
                int b = w / qBlocks;
                int i0 = (w % qBlocks) * t.nr;
                blk.run(q, k, v, rh, rw, b, i0, Math.min(t.nr, nq - i0), nq, scale, out);
            }
        });
    }

    /**
     * A thread's buffers and the work on one block of QB = NR queries. The buffers are reused
     * from call to call without clearing: every float a block reads it has written in the same
     * call (tests run each call on scratch a previous call left full of NaN).
     */
    private static final class Block {
        GemmKernel t;
        int mr, qb, d, dv, dvPad, nk, kh, kw, kb;
        /** Scaled queries transposed (d x QB), the bias rows transposed (kh x QB, kw x QB). */
        float[] qt = new float[0], rht = new float[0], rwt = new float[0];
        /** K as A panels (MR keys x d each), V^T as A panels (MR channels x nk each). */
        float[] kp = new float[0], vp = new float[0];
        /** Scores then probabilities (keys x QB), output (dvPad x QB), per query: max, sum, rescale. */
        float[] s = new float[0], ot = new float[0], m = new float[0], l = new float[0], alpha = new float[0];
        float[] rowBuf = new float[0], vrow = new float[0], packRows = new float[0];
        final int[] gather = new int[L];
        /** The batch whose K and V are packed in kp and vp in this call; -1 before the first. */
        int packedBatch = -1;

        /** Sets the problem of a new call (nothing packed yet) and grows any buffer it needs larger. */
        Block fit(GemmKernel t, int d, int dv, int nk, int kh, int kw) {
            if (t.nr % L != 0) {
                throw new IllegalStateException("tile " + t + " is not a whole number of " + L + "-lane vectors");
            }
            this.t = t;
            this.mr = t.mr;
            this.qb = t.nr;
            this.d = d;
            this.dv = dv;
            this.dvPad = Gemm.roundUp(Math.max(dv, 1), mr);
            this.nk = nk;
            this.kh = kh;
            this.kw = kw;
            this.kb = mr * ((256 + mr - 1) / mr);
            packedBatch = -1;
            qt = atLeast(qt, d * qb);
            rht = atLeast(rht, kh * qb);
            rwt = atLeast(rwt, kw * qb);
            kp = atLeast(kp, Gemm.roundUp(nk, mr) * d);
            vp = atLeast(vp, dvPad * nk);
            s = atLeast(s, kb * qb);
            ot = atLeast(ot, dvPad * qb);
            m = atLeast(m, qb);
            l = atLeast(l, qb);
            alpha = atLeast(alpha, qb);
            rowBuf = atLeast(rowBuf, qb * Math.max(d, Math.max(kh, kw)));
            vrow = atLeast(vrow, dvPad);
            packRows = atLeast(packRows, mr * d);
            return this;
        }

        void run(Attention.Src q, Attention.Src k, Attention.Src v, Attention.Src rh, Attention.Src rw,
                 int b, int i0, int rows, int nq, float scale, float[] out) {
            if (packedBatch != b) {
                GemmPack.packA(k.matrix(b), 0, nk, 0, d, mr, kp, packRows);
                packV(v, b);
                packedBatch = b;
            }
            transposeRows(q, b, i0, rows, d, (float) (scale * (double) VecMath.LOG2E), qt);
            if (rh != null) {
                transposeRows(rh, b, i0, rows, kh, VecMath.LOG2E, rht);
                transposeRows(rw, b, i0, rows, kw, VecMath.LOG2E, rwt);
            }
            java.util.Arrays.fill(ot, 0, dvPad * qb, 0f);
            java.util.Arrays.fill(m, 0, qb, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(l, 0, qb, 0f);
            for (int j0 = 0; j0 < nk; j0 += kb) {
                int n = Math.min(kb, nk - j0);
                int nPad = Gemm.roundUp(n, mr);
                initScores(rh != null, j0, n, nPad);
                for (int jt = 0; jt < nPad; jt += mr) {
                    t.run(kp, (j0 + jt) * d, qt, 0, d, s, jt * qb, qb);
                }
                softmaxStep(n);
                for (int c0 = 0; c0 < dvPad; c0 += mr) {
                    t.run(vp, c0 * nk + j0 * mr, s, 0, n, ot, c0 * qb, qb);
                }
            }
            writeOut(b, i0, rows, nq, out);
        }

        /**
         * dst[c * QB + i] = src[b, i0 + i, c] * scale for c < width, i < QB (zero past rows): the rows
         * copied into one buffer, then transposed a vector of queries at a time by gathers (a scalar
         * transpose stored one float at a time).
         */
        private void transposeRows(Attention.Src src, int b, int i0, int rows, int width, float scale, float[] dst) {
            src.rows(b, i0, rows, width, rowBuf);
            java.util.Arrays.fill(rowBuf, rows * width, qb * width, 0f);
            for (int t = 0; t < L; t++) {
                gather[t] = t * width;
            }
            FloatVector sc = FloatVector.broadcast(S, scale);
            for (int c = 0; c < width; c++) {
                for (int i = 0; i < qb; i += L) {
                    FloatVector.fromArray(S, rowBuf, i * width + c, gather, 0).mul(sc).intoArray(dst, c * qb + i);
                }
            }
        }

        /** out[b, i0 + i, c] = ot[c * QB + i] / l[i] for i < rows, c < dv: gathers of L channels, scalars past the last. */
        private void writeOut(int b, int i0, int rows, int nq, float[] out) {
            for (int t = 0; t < L; t++) {
                gather[t] = t * qb;
            }
            int vecEnd = dv - dv % L;
            for (int i = 0; i < rows; i++) {
                float inv = 1f / l[i];
                int dst = (b * nq + i0 + i) * dv;
                for (int c = 0; c < vecEnd; c += L) {
                    FloatVector.fromArray(S, ot, c * qb + i, gather, 0).mul(inv).intoArray(out, dst + c);
                }
                for (int c = vecEnd; c < dv; c++) {
                    out[dst + c] = ot[c * qb + i] * inv;
                }
            }
        }

        /** V^T of batch b as MR-channel A panels: vp[(c / MR) * MR * nk + j * MR + c % MR] = v[b, j, c], zero past dv. */
        private void packV(Attention.Src v, int b) {
            java.util.Arrays.fill(vrow, dv, dvPad, 0f);
            for (int j = 0; j < nk; j++) {
                v.row(b, j, vrow, 0, dv);
                for (int c0 = 0, at = j * mr; c0 < dvPad; c0 += mr, at += mr * nk) {
                    System.arraycopy(vrow, c0, vp, at, mr);
                }
            }
        }

        /**
         * Score rows [0, nPad) of the key block at j0 before the tile adds q k: for key j < n at grid
         * (y, x) = (j / kw, j % kw) the bias relH[i, y] + relW[i, x] (base 2), else zero.
         */
        private void initScores(boolean bias, int j0, int n, int nPad) {
            java.util.Arrays.fill(s, bias ? n * qb : 0, nPad * qb, 0f);
            if (!bias) {
                return;
            }
            for (int j = 0; j < n; ) {
                int y = (j0 + j) / kw, x0 = (j0 + j) % kw;
                int run = Math.min(kw - x0, n - j);
                for (int c = 0; c < qb; c += L) {
                    FloatVector h = FloatVector.fromArray(S, rht, y * qb + c);
                    for (int x = 0, row = j * qb + c, w = x0 * qb + c; x < run; x++, row += qb, w += qb) {
                        h.add(FloatVector.fromArray(S, rwt, w)).intoArray(s, row);
                    }
                }
                j += run;
            }
        }

        /**
         * Online softmax over the block's n keys, a vector of queries at a time: new running max,
         * s := exp(s - max), the sum rescaled by exp(old max - new max) plus the block's, and the
         * output rows rescaled alike. No branch that a run can first take late: the max's last
         * 0-3 keys are read by one clamped step (a key read twice does not change a max), and the
         * output is rescaled even where every factor is 1 (exact). Each such branch, first taken
         * after C2 had compiled this method without it, sent it back to the profiling tier, which
         * allocates every vector it makes, for as long as C2 took to compile it again: 14.5 of the
         * 25.4 GB JFR sampled in one run of the 64-prompt scenario on a loaded host. Each step is a
         * small method of its own, and no vector crosses a call of ours: in one method C2 stopped
         * inlining at its node budget (NodeCountInliningCutoff) and called a vector helper out of
         * line, boxing every vector of the max (12 GB allocated in one encoder run).
         */
        private void softmaxStep(int n) {
            for (int c = 0; c < qb; c += L) {
                newMax(n, c);
                exponentiate(n, c);
            }
            rescaleOutput();
        }

        /**
         * alpha[c, c + L) := the larger of m and the n scores of those queries (a compare and a
         * blend, cheaper than FloatVector.max's NaN and -0 rules: NaN scores never win).
         */
        private void newMax(int n, int c) {
            FloatVector m0 = FloatVector.fromArray(S, m, c), m1 = m0, m2 = m0, m3 = m0;
            int j = 0;
            for (; j + 3 < n; j += 4) {
                FloatVector x0 = FloatVector.fromArray(S, s, j * qb + c);
                FloatVector x1 = FloatVector.fromArray(S, s, (j + 1) * qb + c);
                FloatVector x2 = FloatVector.fromArray(S, s, (j + 2) * qb + c);
                FloatVector x3 = FloatVector.fromArray(S, s, (j + 3) * qb + c);
                m0 = m0.blend(x0, x0.compare(VectorOperators.GT, m0));
                m1 = m1.blend(x1, x1.compare(VectorOperators.GT, m1));
                m2 = m2.blend(x2, x2.compare(VectorOperators.GT, m2));
                m3 = m3.blend(x3, x3.compare(VectorOperators.GT, m3));
            }
            int last = n - 1;
            FloatVector x0 = FloatVector.fromArray(S, s, Math.min(j, last) * qb + c);
            FloatVector x1 = FloatVector.fromArray(S, s, Math.min(j + 1, last) * qb + c);
            FloatVector x2 = FloatVector.fromArray(S, s, Math.min(j + 2, last) * qb + c);
            m0 = m0.blend(x0, x0.compare(VectorOperators.GT, m0));
            m1 = m1.blend(x1, x1.compare(VectorOperators.GT, m1));
            m2 = m2.blend(x2, x2.compare(VectorOperators.GT, m2));
            m0 = m0.blend(m1, m1.compare(VectorOperators.GT, m0));
            m2 = m2.blend(m3, m3.compare(VectorOperators.GT, m2));
            m0.blend(m2, m2.compare(VectorOperators.GT, m0)).intoArray(alpha, c);
        }

        /**
         * For queries [c, c + L) with the new max in alpha: s := exp(s - max) over the n keys,
         * l := l * exp(m - max) + their sum, m := max, and alpha := exp(m - max) for the output.
         */
        private void exponentiate(int n, int c) {
            FloatVector mNew = FloatVector.fromArray(S, alpha, c);
            FloatVector sum = FloatVector.zero(S);
            for (int j = 0; j < n; j++) {
                int at = j * qb + c;
                FloatVector p = VecMath.exp2NonPositive(FloatVector.fromArray(S, s, at).sub(mNew));
                p.intoArray(s, at);
                sum = sum.add(p);
            }
            FloatVector a = VecMath.exp2NonPositive(FloatVector.fromArray(S, m, c).sub(mNew));
            FloatVector.fromArray(S, l, c).fma(a, sum).intoArray(l, c);
            mNew.intoArray(m, c);
            a.intoArray(alpha, c);
        }

        /** ot := ot * alpha, every output channel row. */
        private void rescaleOutput() {
            for (int r = 0; r < dv; r++) {
                for (int c = 0; c < qb; c += L) {
                    int at = r * qb + c;
                    FloatVector.fromArray(S, ot, at).mul(FloatVector.fromArray(S, alpha, c)).intoArray(ot, at);
                }
            }
        }
    }

    /** a when it holds n floats, else a new array of n (contents not kept: the caller rewrites them). */
    static float[] atLeast(float[] a, int n) {
        return a.length >= n ? a : new float[n];
    }
}
