package dev.jsam.kernels;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the catalogue against the committed PTX (no GPU needed): every module's PTX loads,
 * targets sm_80, defines exactly the listed entry points, and has a .cu source beside it; and
 * the choice of PTX by compute capability, with its error for cards older than sm_80.
 */
class KernelModuleTest {
    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(");

    @Test
    void everyModuleDefinesExactlyItsEntryPoints() {
        for (KernelModule m : KernelModule.values()) {
            String ptx = m.ptx();
            assertTrue(ptx.contains(".target " + KernelModule.PTX_TARGET), m + " targets " + KernelModule.PTX_TARGET);
            Matcher e = ENTRY.matcher(ptx);
            Set<String> found = new TreeSet<>();
            while (e.find()) {
                found.add(e.group(1));
            }
            assertEquals(List.copyOf(new TreeSet<>(m.entryPoints())), List.copyOf(found), m + " entry points");
            assertTrue(Files.exists(Path.of("src/main/cuda", m.fileName() + ".cu")), m + " has its .cu source");
        }
    }

    @Test
    void entryPointsAreUniqueAcrossModules() {
        for (KernelModule m : KernelModule.values()) {
            for (String entry : m.entryPoints()) {
                assertEquals(m, KernelModule.of(entry));
            }
        }
    }

    @Test
    void everyCardFromSm80OnLoadsTheCompute80Ptx() {
        int[][] supported = {{8, 0}, {8, 6}, {8, 7}, {8, 9}, {9, 0}, {10, 0}, {12, 0}};
        for (KernelModule m : KernelModule.values()) {
            for (int[] cc : supported) {
                assertEquals(m.fileName() + ".ptx", m.ptxResource(cc[0], cc[1]), m + " on " + cc[0] + "." + cc[1]);
            }
            assertEquals(m.ptx(), m.ptx(9, 0));
        }
    }

    @Test
    void olderCardsFailWithOneLineNamingTheirCapability() {
        for (int[] cc : new int[][] {{7, 5}, {7, 0}, {6, 1}, {3, 5}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelModule.GEMM.ptxResource(cc[0], cc[1]));
            assertEquals("this GPU has compute capability " + cc[0] + "." + cc[1] + " (sm_" + cc[0] + cc[1]
                    + "); jsam's CUDA kernels need 8.0 (sm_80, Ampere) or later", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> KernelModule.GEMM.ptxResource(8, 10));
        assertThrows(IllegalArgumentException.class, () -> KernelModule.GEMM.ptxResource(-1, 0));
    }
}
