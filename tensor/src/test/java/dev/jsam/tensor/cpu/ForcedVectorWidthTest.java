package dev.jsam.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The build's avx2-width test run (tensor and sam poms) narrows the JIT to AVX2 so that this
 * module's kernels and the golden tests also run the paths an AVX2 host takes; this checks the
 * narrowing took effect there (elsewhere it is skipped), so that run cannot silently test the
 * default width twice.
 */
class ForcedVectorWidthTest {
    @Test
    void thePreferredSpeciesIsNoWiderThanTheRunAsks() {
        String max = System.getProperty("jsam.test.maxVectorBits");
        assumeTrue(max != null, "only in the avx2-width run");
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertTrue(bits <= Integer.parseInt(max), "preferred species " + bits + " bits, the run asks for at most " + max);
        assertTrue(Gemm.TILE.species.vectorBitSize() <= bits, "the GEMM runs " + Gemm.TILE);
    }
}
