package dev.jsam.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Packing for {@link Gemm}: copies a block of A into MR-row micro-panels (k-major, MR floats
 * per k) and a block of B into NR-column micro-panels (k-major, NR floats per k), padding the
 * edge panels with zeros so the micro-kernel never needs bounds. Reads any strides; uses
 * vector loads where the source rows are unit-stride.
 */
final class GemmPack {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private GemmPack() {
    }

    /**
     * Packs A[i0, i0 + mc) x [p0, p0 + kc) into dst as ceil(mc / MR) panels of kc * MR floats.
     * Rows with unit column stride (activations) are bulk-copied into rows, a buffer of MR * kc
     * floats, and interleaved from there; other strides are read element by element.
     */
    static void packA(GemmOperand a, int i0, int mc, int p0, int kc, int mr, float[] dst, float[] rows) {
        int[] gather = a.cs() == 1 ? interleaveIndex(mr, kc) : null;
        for (int ir = 0; ir < mc; ir += mr) {
            int n = Math.min(mr, mc - ir);
            int base = ir * kc;
            if (a.cs() == 1) {
                for (int r = 0; r < n; r++) {
                    long src = a.off() + (i0 + ir + r) * a.rs() + p0;
                    MemorySegment.copy(a.seg(), HostData.F32, src * 4, rows, r * kc, kc);
                }
                java.util.Arrays.fill(rows, n * kc, mr * kc, 0f);
                interleave(rows, kc, mr, dst, base, gather);
                continue;
            }
            for (int r = 0; r < n; r++) {
                long src = a.off() + (i0 + ir + r) * a.rs() + p0 * a.cs();
                long step = a.cs();
                int d = base + r;
                for (int p = 0; p < kc; p++) {
                    dst[d] = a.seg().get(HostData.F32, src * 4);
                    src += step;
                    d += mr;
                }
            }
            for (int r = n; r < mr; r++) {
                for (int p = 0, d = base + r; p < kc; p++, d += mr) {
                    dst[d] = 0f;
                }
            }
        }
    }

    /** For interleave: lane t of L p's x mr rows reads rows[(t % mr) * kc + t / mr], offset by the first p. */
    private static int[] interleaveIndex(int mr, int kc) {
        int[] idx = new int[mr * L];
        for (int t = 0; t < idx.length; t++) {
            idx[t] = t % mr * kc + t / mr;
        }
        return idx;
    }

    /**
     * dst[base + p * mr + r] = rows[r * kc + p] for p < kc, r < mr: L values of p at a time as mr
     * vector gathers (one strided scalar copy per element ran at ~2 ns, 13% of a K = N = 768 GEMM).
     * The last step starts at kc - L, rewriting what the one before wrote, so a kc that is not a
     * whole number of vectors takes no separate tail loop (a branch first taken after C2 compiled
     * this method sends it back to the tier that allocates every vector); kc < L goes scalar.
     */
    private static void interleave(float[] rows, int kc, int mr, float[] dst, int base, int[] idx) {
        if (kc >= L) {
            for (int p0 = 0; p0 < kc; p0 += L) {
                int p = Math.min(p0, kc - L);
                for (int j = 0, d = base + p * mr; j < mr; j++, d += L) {
                    FloatVector.fromArray(S, rows, p, idx, j * L).intoArray(dst, d);
                }
            }
            return;
        }
        for (int p = 0; p < kc; p++) {
            for (int r = 0, d = base + p * mr; r < mr; r++) {
                dst[d + r] = rows[r * kc + p];
            }
        }
    }

    /**
     * Packs panels [panelFrom, panelTo) of B[p0, p0 + kc) x [j0, j0 + nc) into dst, panel q at
     * q * kc * nr, nr floats per k. Full unit-stride panels are copied a preferred vector at a
     * time (and a float at a time past the last whole vector).
     */
    static void packB(GemmOperand b, int p0, int kc, int j0, int nc, int nr, int panelFrom, int panelTo, float[] dst) {
        final int vectorEnd = nr - nr % L;
        for (int q = panelFrom; q < panelTo; q++) {
            int jq = q * nr;
            int cols = Math.min(nr, nc - jq);
            int base = q * kc * nr;
            if (cols == nr && b.cs() == 1) {
                long src = b.off() + p0 * b.rs() + j0 + jq;
                for (int p = 0, d = base; p < kc; p++, d += nr) {
                    for (int v = 0; v < vectorEnd; v += L) {
                        FloatVector.fromMemorySegment(S, b.seg(), (src + v) * 4, ByteOrder.LITTLE_ENDIAN)
                                .intoArray(dst, d + v);
                    }
                    for (int v = vectorEnd; v < nr; v++) {
                        dst[d + v] = b.seg().get(HostData.F32, (src + v) * 4);
                    }
                    src += b.rs();
                }
                continue;
            }
            for (int j = 0; j < cols; j++) {
                long src = b.off() + p0 * b.rs() + (j0 + jq + j) * b.cs();
                long step = b.rs();
                for (int p = 0, d = base + j; p < kc; p++, d += nr) {
                    dst[d] = b.seg().get(HostData.F32, src * 4);
                    src += step;
                }
            }
            for (int j = cols; j < nr; j++) {
                for (int p = 0, d = base + j; p < kc; p++, d += nr) {
                    dst[d] = 0f;
                }
            }
        }
    }
}
