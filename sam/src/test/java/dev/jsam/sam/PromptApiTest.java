package dev.jsam.sam;

import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The prompt value and the Masks result against the tiny model's golden dog cases (from the
 * reference's features, so no encoder run): masks, scores and the mask-input refinement match the
 * reference, best() is the highest predicted IoU, and every mask form (pixels, image, PNG, box,
 * area) says the same thing. Bad prompts are refused when built, with the coordinate named.
 */
@Tag("golden")
class PromptApiTest {
    static CpuBackend backend;
    static Sam sam;
    static SamPredictor predictor;
    static Golden g;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        backend = CpuBackend.create(2);
        sam = Sam.load(Golden.testdata("golden/tiny/sam_tiny.safetensors"), backend);
        g = Golden.open("golden/tiny/dog.safetensors");
        predictor = new SamPredictor(sam);
        predictor.setEmbedding(new ImageEmbedding(g.tensor("features", backend), 534, 800, 684, 1024, sam.id()));
    }

    @AfterAll
    static void close() {
        sam.close();
        backend.close();
    }

    @Test
    void promptsGiveTheReferencesMasksAndScores() {
        Map<String, Prompt> cases = Map.of(
                "point1_multi", Prompt.point(500, 375),
                "points2_single", Prompt.point(500, 375).withNegativePoint(120, 80).singleMask(),
                "box_single", Prompt.box(75, 275, 425, 510).singleMask(),
                "box_point_multi", Prompt.box(60, 40, 700, 500).withNegativePoint(300, 300));
        for (Map.Entry<String, Prompt> c : cases.entrySet()) {
            assertMatchesGolden(c.getKey(), predictor.predict(c.getValue()));
        }
    }

    @Test
    void theBestMasksLogitsRefineTheNextPrompt() {
        Masks first = predictor.predict(Prompt.point(500, 375));
        float[] logits = first.best().lowResLogits();
        g.assertClose("mask_point_single.mask_input", Tensor.of(backend, logits, 1, 256, 256));
        assertMatchesGolden("mask_point_single", predictor.predict(Prompt.point(510, 380).withMaskInput(logits).singleMask()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(Prompt.point(1, 1).withMaskInput(new float[128 * 128])));
        assertTrue(e.getMessage().contains("[1, 256, 256]"), e.getMessage());
    }

    private static void assertMatchesGolden(String name, Masks masks) {
        float[] iou = g.tensor(name + ".iou_predictions", backend).toFloatArray();
        assertEquals(iou.length, masks.size(), name);
        float[] scores = new float[masks.size()];
        boolean[] all = new boolean[masks.size() * 534 * 800];
        int best = 0;
        for (int k = 0; k < masks.size(); k++) {
            scores[k] = masks.get(k).score();
            System.arraycopy(masks.get(k).binaryMask().data(), 0, all, k * 534 * 800, 534 * 800);
            best = iou[k] > iou[best] ? k : best;
        }
        g.assertIouClose(name + ".iou_predictions", Tensor.of(backend, scores, scores.length));
        g.assertMasksMatch(name + ".masks_packed", all, 800);
        assertSame(masks.get(best), masks.best(), name + ": best() is the highest predicted IoU");
    }

    @Test
    void everyFormOfAMaskAgrees() throws Exception {
        Mask m = predictor.predict(Prompt.box(75, 275, 425, 510).singleMask()).best();
        boolean[] px = m.binaryMask().data();
        int area = 0, x0 = 800, y0 = 534, x1 = -1, y1 = -1;
        for (int y = 0; y < 534; y++) {
            for (int x = 0; x < 800; x++) {
                if (px[y * 800 + x]) {
                    area++;
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
                assertEquals(px[y * 800 + x], m.contains(x, y));
            }
        }
        assertTrue(area > 0, "the box selects something");
        assertEquals(area, m.area());
        assertArrayEquals(new int[] {x0, y0, x1, y1}, m.box());
        Path png = tmp.resolve("mask.png");
        m.writePng(png);
        BufferedImage read = ImageIO.read(png.toFile());
        BufferedImage direct = m.toBufferedImage();
        assertEquals(800, read.getWidth());
        assertEquals(534, read.getHeight());
        for (int y = 0; y < 534; y += 3) {
            for (int x = 0; x < 800; x += 3) {
                int want = px[y * 800 + x] ? 255 : 0;
                assertEquals(want, read.getRaster().getSample(x, y, 0));
                assertEquals(want, direct.getRaster().getSample(x, y, 0));
            }
        }
        int inside = java.util.stream.IntStream.range(0, px.length).filter(i -> px[i]).findFirst().orElseThrow();
        m.binaryMask().data()[inside] = false;
        assertTrue(m.contains(inside % 800, inside / 800), "binaryMask() is a copy");
    }

    @Test
    void badPromptsAreRefusedWhenBuilt() {
        assertRefused(() -> Prompt.point(1e39, 2), "point coordinate 0 is 1.0E39");
        assertRefused(() -> Prompt.point(1, 2).withPoint(3, Double.NaN), "point coordinate 1 is NaN");
        assertRefused(() -> Prompt.box(0, 0, 5, Double.POSITIVE_INFINITY), "box coordinate 3 is Infinity");
        assertRefused(() -> Prompt.box(10, 0, 5, 5), "x0 <= x1");
        assertRefused(() -> Prompt.point(1, 2).withMaskInput(new float[100 * 99]), "square");
        float[] nan = new float[256 * 256];
        nan[7] = Float.NaN;
        assertRefused(() -> Prompt.point(1, 2).withMaskInput(nan), "mask input value 7 is NaN");
        Prompt.point(-Prompt.MAX_COORDINATE, Prompt.MAX_COORDINATE);
    }

    @Test
    void promptsAreImmutableValues() {
        Prompt p = Prompt.point(1, 2);
        Prompt q = p.withNegativePoint(3, 4).withBox(0, 0, 9, 9).singleMask();
        assertArrayEquals(new double[] {1, 2}, p.pointCoords());
        assertNull(p.box());
        assertTrue(p.multimask());
        assertArrayEquals(new double[] {1, 2, 3, 4}, q.pointCoords());
        assertArrayEquals(new int[] {1, 0}, q.pointLabels());
        q.pointCoords()[0] = 99;
        assertEquals(1, q.pointCoords()[0]);
        assertEquals(q, Prompt.point(1, 2).withNegativePoint(3, 4).withBox(0, 0, 9, 9).singleMask());
        assertEquals("Prompt[point 1.0,2.0; negative point 3.0,4.0; box [0.0, 0.0, 9.0, 9.0]; single mask]", q.toString());
    }

    private static void assertRefused(Runnable r, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
