package dev.jsam.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused attention for a few queries (fewer than a GEMM tile's width): queries down the rows, keys
 * across the vector lanes, flash style. Per (batch, block of QB queries) the keys are visited in
 * blocks of KB, scores for one block only, with an online softmax (running max and sum, rescaling
 * the output accumulator). Each task packs its batch's K (transposed, per key block) and V once,
 * zero-padded to whole vectors (padded keys get score -inf); both matrix products run on the 6 x
 * 2-vector {@link AttentionTile}. The decoder's token-to-image attention (5-16 queries, 4096 keys)
 * is its case; {@link AttentionKeyRows} takes many queries.
 */
final class AttentionQueryRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int QB = 8 * AttentionTile.ROWS;
    /**
     * 256 keys per block: each block costs every query row a rescale of its running sum and
     * output, so fewer, longer blocks win (single thread, KB 64 -> 256: windowed 191 -> 148 ms,
     * global 212 -> 171 ms; 512 was no better). A 14 x 14 window is then a single block.
     */
    private static final int KB = 16 * AttentionTile.COLS;
    /** Each thread's block buffers, grown to the largest problem it has run and reused by every call after. */
    private static final ThreadLocal<Block> SCRATCH = ThreadLocal.withInitial(Block::new);

    private AttentionQueryRows() {
    }

    /** Runs every (batch, query block) of the problem, writing out (bsz, nq, dv) row-major. */
    static void run(Parallel par, Attention.Src qs, Attention.Src ks, Attention.Src vs, Attention.Src rh,
                    Attention.Src rw, int bsz, int nq, int nk, int d, int dv, int kh, int kw, float scale, float[] out) {
        int qBlocks = (nq + QB - 1) / QB;
        int dvPad = Gemm.roundUp(Math.max(dv, 1), AttentionTile.COLS);
        par.forRange(bsz * qBlocks, 1, (from, to) -> {
            Block blk = SCRATCH.get().fit(d, dvPad, kh, kw, nk);
            for (int t = from; t < to; t++) {
                int b = t / qBlocks;
                int i0 = (t % qBlocks) * QB;
                int rows = Math.min(QB, nq - i0);
                blk.run(qs, ks, vs, rh, rw, b, i0, rows, nq, nk, dv, scale, out);
            }
        });
    }

    /**
     * A thread's buffers and the work on one query block (rows padded to whole tiles with zero
     * queries). The buffers are reused from call to call without clearing: every float a block
     * reads it has written in the same call (tests run each call on scratch a previous call left
     * full of NaN).
     */
    private static final class Block {
        int d, dvPad, kh, kw;
        float[] qp = new float[0], kt = new float[0], vp = new float[0], s = new float[0], o = new float[0];
        float[] m = new float[0], l = new float[0], rhb = new float[0], rwb = new float[0];
        float[] krow = new float[0], vrow = new float[0];
        /** The batch whose K and V are packed in kt and vp in this call; -1 before the first. */
        int packedBatch = -1;

        /** Sets the problem of a new call (nothing packed yet) and grows any buffer it needs larger. */
        Block fit(int d, int dvPad, int kh, int kw, int nk) {
            this.d = d;
            this.dvPad = dvPad;
            this.kh = kh;
            this.kw = kw;
            packedBatch = -1;
            int blocks = (nk + KB - 1) / KB;
            qp = AttentionKeyRows.atLeast(qp, QB * d);
            kt = AttentionKeyRows.atLeast(kt, blocks * d * KB);
            vp = AttentionKeyRows.atLeast(vp, blocks * KB * dvPad);
            s = AttentionKeyRows.atLeast(s, QB * KB);
            o = AttentionKeyRows.atLeast(o, QB * dvPad);
            m = AttentionKeyRows.atLeast(m, QB);
            l = AttentionKeyRows.atLeast(l, QB);
            rhb = AttentionKeyRows.atLeast(rhb, QB * kh);
            rwb = AttentionKeyRows.atLeast(rwb, QB * kw);
            krow = AttentionKeyRows.atLeast(krow, d);
            vrow = AttentionKeyRows.atLeast(vrow, dvPad);
            return this;
        }

        void run(Attention.Src q, Attention.Src k, Attention.Src v, Attention.Src rh, Attention.Src rw,
                 int b, int i0, int rows, int nq, int nk, int dv, float scale, float[] out) {
            int padded = Gemm.roundUp(rows, AttentionTile.ROWS);
            java.util.Arrays.fill(qp, 0, QB * d, 0f);
            for (int i = 0; i < rows; i++) {
                q.row(b, i0 + i, qp, i * d, d);
                for (int c = i * d; c < (i + 1) * d; c++) {
                    qp[c] *= scale;
                }
                if (rh != null) {
                    rh.row(b, i0 + i, rhb, i * kh, kh);
                    rw.row(b, i0 + i, rwb, i * kw, kw);
                }
            }
            java.util.Arrays.fill(o, 0, padded * dvPad, 0f);
            java.util.Arrays.fill(m, 0, padded, Float.NEGATIVE_INFINITY);
            java.util.Arrays.fill(l, 0, padded, 0f);
            if (packedBatch != b) {
                for (int j0 = 0; j0 < nk; j0 += KB) {
                    pack(k, v, b, j0, Math.min(KB, nk - j0), dv);
                }
                packedBatch = b;
            }
            for (int j0 = 0; j0 < nk; j0 += KB) {
                int kb = Math.min(KB, nk - j0);
                int kbPad = Gemm.roundUp(kb, AttentionTile.COLS);
                int kOff = j0 * d, vOff = j0 * dvPad;
                for (int r0 = 0; r0 < padded; r0 += AttentionTile.ROWS) {
                    for (int jv = 0; jv < kbPad; jv += AttentionTile.COLS) {
                        AttentionTile.tile(qp, r0 * d, d, kt, kOff + jv * d, d, s, r0 * KB + jv, KB, false);
                    }
                }
                for (int i = 0; i < padded; i++) {
                    biasAndMask(i, i < rows && rh != null, j0, kb, kbPad);
                    softmaxStep(i, kbPad);
                }
                for (int r0 = 0; r0 < padded; r0 += AttentionTile.ROWS) {
                    for (int cv = 0; cv < dvPad; cv += AttentionTile.COLS) {
                        AttentionTile.tile(s, r0 * KB, KB, vp, vOff + cv * KB, kbPad, o, r0 * dvPad + cv, dvPad, true);
                    }
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

        /**
         * Adds relH[i, j / kw] + relW[i, j % kw] to row i's scores of keys [j0, j0 + kb), one
         * run per key-grid row (whole vectors, then scalars: masked vector stores fell to a
         * per-lane slow path, 4.5% of a vit_b encoding in JFR); padded keys up to kbPad get -inf.
         */
        private void biasAndMask(int i, boolean bias, int j0, int kb, int kbPad) {
            int row = i * KB;
            if (bias) {
                int y = j0 / kw, x = j0 % kw;
                int hb = i * kh, wb = i * kw;
                for (int j = 0; j < kb; x = 0, y++) {
                    int len = Math.min(kw - x, kb - j);
                    float h = rhb[hb + y];
                    FloatVector hy = FloatVector.broadcast(S, h);
                    int t = 0;
                    for (; t + L <= len; t += L) {
                        FloatVector sc = FloatVector.fromArray(S, s, row + j + t);
                        sc.add(FloatVector.fromArray(S, rwb, wb + x + t).add(hy)).intoArray(s, row + j + t);
                    }
                    for (; t < len; t++) {
                        s[row + j + t] += rwb[wb + x + t] + h;
                    }
                    j += len;
                }
            }
            for (int j = kb; j < kbPad; j++) {
                s[row + j] = Float.NEGATIVE_INFINITY;
            }
        }

        /**
         * Packs key block [j0, j0 + kb) of batch b, zero-padded, in the tiles' panel order so that
         * each tile reads its B operand sequentially: K transposed at kt[j0 * d] as KB / COLS panels
         * of d x COLS, V at vp[j0 * dvPad] as dvPad / COLS panels of KB x COLS. (A COLS-wide slice
         * of a row-major block steps 256 bytes per k, and the tiles ran at half the GEMM's rate.)
         * Done once per batch and task.
         */
        private void pack(Attention.Src k, Attention.Src v, int b, int j0, int kb, int dv) {
            final int cols = AttentionTile.COLS;
            int kBase = j0 * d, vBase = j0 * dvPad;
            java.util.Arrays.fill(vrow, dv, dvPad, 0f);
            for (int j = 0; j < KB; j++) {
                if (j < kb) {
                    k.row(b, j0 + j, krow, 0, d);
                    v.row(b, j0 + j, vrow, 0, dv);
                } else {
                    java.util.Arrays.fill(krow, 0, d, 0f);
                    java.util.Arrays.fill(vrow, 0, dv, 0f);
                }
                int kp = kBase + (j / cols) * d * cols + j % cols;
                for (int c = 0; c < d; c++) {
                    kt[kp + c * cols] = krow[c];
                }
                for (int c0 = 0; c0 < dvPad; c0 += cols) {
                    System.arraycopy(vrow, c0, vp, vBase + c0 * KB + j * cols, cols);
                }
            }
        }

        /**
         * Online softmax of row i over keys [0, n): new running max, s := exp(s - max), rescales
         * sum and output (also by 1, exact: a branch first taken after C2 compiled this method
         * would send it back to the tier that allocates every vector).
         */
        private void softmaxStep(int i, int n) {
            int row = i * KB;
            FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < n; j += L) {
                mx = mx.max(FloatVector.fromArray(S, s, row + j));
            }
            float mNew = Math.max(m[i], mx.reduceLanes(VectorOperators.MAX));
            FloatVector mv = FloatVector.broadcast(S, mNew);
            FloatVector sum = FloatVector.zero(S);
            for (int j = 0; j < n; j += L) {
                FloatVector p = VecMath.expNonPositive(FloatVector.fromArray(S, s, row + j).sub(mv));
                p.intoArray(s, row + j);
                sum = sum.add(p);
            }
            float alpha = m[i] == Float.NEGATIVE_INFINITY ? 0f : VecMath.exp(m[i] - mNew);
            l[i] = l[i] * alpha + VecMath.sum(sum);
            m[i] = mNew;
            FloatVector av = FloatVector.broadcast(S, alpha);
            for (int c = i * dvPad, e = c + dvPad; c < e; c += L) {
                FloatVector.fromArray(S, o, c).mul(av).intoArray(o, c);
            }
        }
    }
}
