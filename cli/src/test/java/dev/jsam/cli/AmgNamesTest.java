package dev.jsam.cli;

import dev.jsam.sam.amg.AmgParams;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `sam amg`'s output names for images sharing a stem, and its up-front check of the crop plan. */
class AmgNamesTest {
    private static Map<Path, String> names(ByteArrayOutputStream err, String... files) {
        List<Path> paths = Arrays.stream(files).map(f -> Path.of("in", f)).toList();
        return AmgNames.of(paths, new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void distinctStemsKeepTheReferenceNames() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(List.of("a", "b", "README"), List.copyOf(names(err, "a.jpg", "b.png", "README").values()));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sharedStemsGetWholeFileNamesAndAWarning() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(List.of("x.jpg", "x.png", "y"), List.copyOf(names(err, "x.jpg", "x.png", "y.gif").values()));
        String warning = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, warning.lines().count(), warning);
        assertTrue(warning.contains("x.jpg and x.png would share the output name \"x\""), warning);
    }

    @Test
    void namesStayApartIgnoringCaseAndAfterRenaming() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(List.of("X.jpg", "x.png"), List.copyOf(names(err, "X.jpg", "x.png").values()));
        // a.b and a.c clash on "a"; a.b's whole name then clashes with the stem of a.b.c
        assertEquals(List.of("a.b", "a.b.c", "a.c"), List.copyOf(names(err, "a.b", "a.b.c", "a.c").values()));
    }

    @Test
    void cropPlansUnderAPixelAreRefusedWithTheLayersThatFit() {
        AmgParams p = AmgParams.defaults().withCrops(4, 1);
        assertNull(AmgCommand.cropPlanProblem(p, 64, 48));
        assertNull(AmgCommand.cropPlanProblem(AmgParams.defaults(), 1, 1));
        String problem = AmgCommand.cropPlanProblem(p, 10, 6);
        assertEquals("--crop-n-layers 4 cuts this 10 x 6 image into crops smaller than a pixel; at most 1 layer(s) fit",
                problem);
    }
}
