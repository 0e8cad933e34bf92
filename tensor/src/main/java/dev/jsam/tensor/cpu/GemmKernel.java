package dev.jsam.tensor.cpu;

import jdk.incubator.vector.VectorSpecies;

/**
 * A register tile of {@link Gemm} and the cache blocking that feeds it: run() accumulates an
 * MR x NR block of C from a packed A micro-panel (MR floats per k) and a packed B micro-panel
 * (NR floats per k, NR a whole number of vectors). Each subclass holds its vector species in a
 * static final field, so C2 compiles its loop to plain vector instructions. Every tile sums each
 * element of C in the same order (bias, then one FMA per k in k order), so all tiles give
 * bit-identical results. The tiles and the choice among them are in {@link Gemm}.
 */
abstract class GemmKernel {
    final String name;
    final VectorSpecies<Float> species;
    final int mr;
    final int nr;
    final int kc;
    final int mc;
    final int nc;

    GemmKernel(String name, VectorSpecies<Float> species, int mr, int nr, int kc, int mc, int nc) {
        this.name = name;
        this.species = species;
        this.mr = mr;
        this.nr = nr;
        this.kc = kc;
        this.mc = mc;
        this.nc = nc;
    }

    /**
     * C[cOff + r * ldc + j] += sum_{p < kc} ap[aOff + p * MR + r] * bp[bOff + p * NR + j] for
     * r < MR, j < NR, summed in p order (one fused multiply-add per p).
     */
    abstract void run(float[] ap, int aOff, float[] bp, int bOff, int kc, float[] c, int cOff, int ldc);

    @Override
    public String toString() {
        return name + " (" + mr + " x " + nr + " floats, KC " + kc + ", MC " + mc + ", NC " + nc + ")";
    }
}
