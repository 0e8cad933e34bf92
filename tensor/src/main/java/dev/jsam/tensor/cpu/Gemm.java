package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Activation;
import jdk.incubator.vector.FloatVector;

import java.util.List;

/**
 * Single-precision GEMM C = A B (+ bias per column, then ReLU/GELU) in the GotoBLAS/BLIS loop
 * order: NC columns of B, KC deep, packed once and shared; MC-row blocks of A packed per task;
 * an MR x NR register tile over the packed panels, chosen per vector shape ({@link #TILE}:
 * 5 x 16 floats on AVX2, 8 x 48 on AVX-512; a narrower native tile for narrow products,
 * {@link #tileFor}). C is a fresh row-major float[] region; A and B are read through any
 * strides (see {@link GemmOperand}). The packed B block comes from the caller's
 * {@link BufferPool} and goes back to it (K x N floats per call: 9.4 MB for vit_b's MLP), the
 * packed A block from per-thread scratch. Not a BLAS: no alpha, no beta, no C views.
 */
final class Gemm {
    /** Every tile, each usable on any host (a species wider than the hardware runs emulated, slowly). */
    static final List<GemmKernel> TILES = List.of(new GemmKernel5x2(), new GemmKernel8x3());

    private static final String FORCED = System.getProperty("jsam.gemm.tile");

    /** The tile GEMM uses: -Djsam.gemm.tile=NAME, else the one for FloatVector.SPECIES_PREFERRED. */
    static final GemmKernel TILE = selectTile(FORCED, FloatVector.SPECIES_PREFERRED.vectorBitSize());

    /** The tiles whose vectors the hardware has (only the forced one when a tile is named). */
    private static final List<GemmKernel> NATIVE = FORCED != null && !FORCED.isEmpty() ? List.of(TILE)
            : TILES.stream().filter(t -> t.species.vectorBitSize() <= FloatVector.SPECIES_PREFERRED.vectorBitSize()).toList();

    /**
     * The tile named ("5x2", "8x3"), or with name null the one with the widest vectors not wider
     * than preferredBits (the hardware's): 8 x 3 on AVX-512, else 5 x 2.
     */
    static GemmKernel selectTile(String name, int preferredBits) {
        if (name != null && !name.isEmpty()) {
            for (GemmKernel k : TILES) {
                if (k.name.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("jsam.gemm.tile: no tile " + name + "; tiles: "
                    + TILES.stream().map(k -> k.name).toList());
        }
        GemmKernel best = TILES.get(0);
        for (GemmKernel k : TILES) {
            int bits = k.species.vectorBitSize();
            if (bits <= preferredBits && bits > best.species.vectorBitSize()) {
                best = k;
            }
        }
        return best;
    }

    /**
     * The tile for a GEMM n columns wide: {@link #TILE}, unless a narrower native tile pads n to
     * at most 4/5 of TILE's columns (vit_b's rel-pos products have n = 14 and 64: 8 x 3 pads
     * them to 48 and 96, 5 x 2 at 256 bits to 16 and 64). Any choice gives the same bits.
     */
    static GemmKernel tileFor(int n) {
        GemmKernel best = TILE;
        for (GemmKernel t : NATIVE) {
            if (roundUp(n, t.nr) * 5L < roundUp(n, best.nr) * 4L) {
                best = t;
            }
        }
        return best;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Gemm() {
    }

    /** Per-thread packing buffers, grown to the largest tile seen. */
    private static final class Scratch {
        float[] ap = new float[0];
        float[] rows = new float[0];
        float[] tile = new float[0];

        Scratch fit(GemmKernel t) {
            if (ap.length < t.mc * t.kc) {
                ap = new float[t.mc * t.kc];
            }
            if (rows.length < t.mr * t.kc) {
                rows = new float[t.mr * t.kc];
            }
            if (tile.length < t.mr * t.nr) {
                tile = new float[t.mr * t.nr];
            }
            return this;
        }
    }

    /** {@link #gemm(GemmKernel, Parallel, BufferPool, int, int, int, GemmOperand, GemmOperand, float[], int, int, float[], Activation)} on {@link #tileFor}(n). */
    static void gemm(Parallel par, BufferPool pool, int m, int n, int k, GemmOperand a, GemmOperand b,
                     float[] c, int cOff, int ldc, float[] bias, Activation act) {
        gemm(tileFor(n), par, pool, m, n, k, a, b, c, cOff, ldc, bias, act);
    }

    /**
     * C[cOff + i * ldc + j] = act(sum_p A(i, p) B(p, j) + bias[j]) for i < m, j < n, on tile t.
     * bias may be null. Runs on par's threads (serially when called from inside one of its tasks);
     * the packed B block is taken from pool uncleared (every float of it that is read is written
     * first) and given back.
     */
    static void gemm(GemmKernel t, Parallel par, BufferPool pool, int m, int n, int k, GemmOperand a, GemmOperand b,
                     float[] c, int cOff, int ldc, float[] bias, Activation act) {
        if (m == 0 || n == 0) {
            return;
        }
        final int nr = t.nr, kcMax = t.kc, mcMax = t.mc, ncMax = t.nc;
        float[] init = new float[roundUp(n, nr)];
        if (bias != null) {
            System.arraycopy(bias, 0, init, 0, n);
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                System.arraycopy(init, 0, c, cOff + i * ldc, n);
                VecMath.activateInPlace(act, c, cOff + i * ldc, n);
            }
            return;
        }
        float[] bp = pool.takeUncleared(Math.min(ncMax, roundUp(n, nr)) * Math.min(kcMax, k));
        int mBlocks = (m + mcMax - 1) / mcMax;
        for (int jc = 0; jc < n; jc += ncMax) {
            int nc = Math.min(ncMax, n - jc);
            int panels = (nc + nr - 1) / nr;
            int groups = Math.max(1, Math.min(panels, (4 * par.threads() + mBlocks - 1) / mBlocks));
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean first = pc == 0;
                Activation epilogue = pc + kc == k ? act : Activation.NONE;
                int p0 = pc, j0 = jc;
                par.forRange(panels, 8, (from, to) -> GemmPack.packB(b, p0, kc, j0, nc, nr, from, to, bp));
                par.forRange(mBlocks * groups, 1, (from, to) -> {
                    Scratch s = SCRATCH.get().fit(t);
                    int packed = -1;
                    for (int w = from; w < to; w++) {
                        int blk = w / groups, g = w % groups;
                        int ic = blk * mcMax;
                        int mc = Math.min(mcMax, m - ic);
                        if (packed != blk) {
                            GemmPack.packA(a, ic, mc, p0, kc, t.mr, s.ap, s.rows);
                            packed = blk;
                        }
                        int qFrom = (int) ((long) panels * g / groups);
                        int qTo = (int) ((long) panels * (g + 1) / groups);
                        macro(t, s, mc, nc, kc, qFrom, qTo, bp, c, cOff + ic * ldc + j0, ldc, first, init, j0, epilogue);
                    }
                });
            }
        }
        pool.give(bp);
    }

    static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Runs the tile over B panels [qFrom, qTo) and every MR-row panel of the packed A block. */
    private static void macro(GemmKernel t, Scratch s, int mc, int nc, int kc, int qFrom, int qTo, float[] bp,
                              float[] c, int cBase, int ldc, boolean first, float[] init, int j0, Activation act) {
        final int mr = t.mr, nr = t.nr;
        for (int q = qFrom; q < qTo; q++) {
            int jq = q * nr;
            int cols = Math.min(nr, nc - jq);
            int bOff = q * kc * nr;
            for (int ir = 0; ir < mc; ir += mr) {
                int rows = Math.min(mr, mc - ir);
                int cOff = cBase + ir * ldc + jq;
                if (rows == mr && cols == nr) {
                    if (first) {
                        for (int r = 0; r < mr; r++) {
                            System.arraycopy(init, j0 + jq, c, cOff + r * ldc, nr);
                        }
                    }
                    t.run(s.ap, ir * kc, bp, bOff, kc, c, cOff, ldc);
                } else {
                    edge(t, s.ap, ir * kc, bp, bOff, kc, c, cOff, ldc, rows, cols, first, init, j0 + jq, s.tile);
                }
                if (act != Activation.NONE) {
                    for (int r = 0; r < rows; r++) {
                        VecMath.activateInPlace(act, c, cOff + r * ldc, cols);
                    }
                }
            }
        }
    }

    /** A partial tile: runs the full tile on a zero-padded MR x NR copy, then writes back rows x cols. */
    private static void edge(GemmKernel t, float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff,
                             int ldc, int rows, int cols, boolean first, float[] init, int initOff, float[] tile) {
        final int nr = t.nr;
        java.util.Arrays.fill(tile, 0, t.mr * nr, 0f);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(first ? init : c, first ? initOff : cOff + r * ldc, tile, r * nr, cols);
        }
        t.run(ap, aOff, bp, bOff, kc, tile, 0, nr);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * nr, c, cOff + r * ldc, cols);
        }
    }
}
