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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the catalogue against the committed PTX (no GPU needed): every module's PTX loads,
 * targets sm_90, defines exactly the listed entry points, and has a .cu source beside it.
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
}
