package dev.jsam.serve;

import dev.jsam.sam.SamPredictor;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.jsam.serve.ServeFixture.decodeRle;
import static dev.jsam.serve.ServeFixture.dog;
import static dev.jsam.serve.ServeFixture.dogLibrary;
import static dev.jsam.serve.ServeFixture.get;
import static dev.jsam.serve.ServeFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API over loopback against the library: an uploaded image's size and id (upright for an
 * EXIF-rotated photo), and for several
 * prompts (points, background points, box, box with point, single mask, a mask input fed back from
 * an earlier answer) masks and IoU predictions identical to SamPredictor's on the same image.
 */
@Tag("slow")
class ServeApiTest {

    @Test
    void uploadAnswersIdAndSize() throws Exception {
        Map<String, Object> up = dog();
        assertTrue(((String) up.get("id")).matches("[A-Za-z0-9_-]{22}"), "id " + up.get("id"));
        assertEquals((long) dogLibrary().getImageEmbedding().originalW(), up.get("width"));
        assertEquals((long) dogLibrary().getImageEmbedding().originalH(), up.get("height"));
        assertTrue((Long) up.get("encodeMillis") > 0);
        ServeFixture.Response again = get("/api/images/" + up.get("id"));
        assertEquals(200, again.status());
        assertEquals(up.get("width"), again.json().get("width"));
    }

    /** A photo stored on its side with EXIF orientation 6 is read upright: 800 x 534, not 534 x 800. */
    @Test
    void rotatedPhotoIsUpright() throws Exception {
        byte[] photo = Files.readAllBytes(ServeFixture.testdata("images/realworld/dog_exif6.jpg"));
        ServeFixture.Response up = ServeFixture.post("/api/images", photo);
        assertEquals(201, up.status(), up.body());
        assertEquals(800L, up.json().get("width"));
        assertEquals(534L, up.json().get("height"));
    }

    @Test
    void promptsGiveTheLibrarysMasks() throws Exception {
        String id = (String) dog().get("id");
        SamPredictor lib = dogLibrary();
        check(id, lib, prompt(List.of(List.of(300, 200)), List.of(1), null, true), new double[] {300, 200},
                new int[] {1}, null, true);
        check(id, lib, prompt(List.of(List.of(300, 200), List.of(120.5, 90.25)), List.of(1, 0), null, true),
                new double[] {300, 200, 120.5, 90.25}, new int[] {1, 0}, null, true);
        check(id, lib, prompt(null, null, List.of(50, 60, 400, 300), false), null, null,
                new double[] {50, 60, 400, 300}, false);
        check(id, lib, prompt(List.of(List.of(250, 180)), List.of(0), List.of(50, 60, 400, 300), true),
                new double[] {250, 180}, new int[] {0}, new double[] {50, 60, 400, 300}, true);
    }

    @Test
    void maskInputRoundTripsThroughTheApi() throws Exception {
        String id = (String) dog().get("id");
        Map<String, Object> first = prompt(List.of(List.of(300, 200)), List.of(1), null, true);
        first.put("lowResLogits", true);
        ServeFixture.Response r = postJson("/api/images/" + id + "/predict", first);
        assertEquals(200, r.status(), r.body());
        Map<?, ?> best = (Map<?, ?>) ((List<?>) r.json().get("masks")).get(0);
        String logits = (String) best.get("lowResLogits");
        SamPredictor lib = dogLibrary();
        SamPredictor.Prediction libFirst = lib.predict(new double[] {300, 200}, new int[] {1}, null, null, true, false);
        float[] expected = libFirst.lowResLogits().select(0, 0).contiguous().toFloatArray();
        assertArrayEquals(expected, MaskCodec.base64ToFloats(logits, 256 * 256, "logits"));

        Map<String, Object> second = prompt(List.of(List.of(300, 200), List.of(200, 250)), List.of(1, 1), null, false);
        second.put("maskInput", logits);
        Tensor maskInput = Tensor.of(ServeFixture.BACKEND, expected, 1, 256, 256);
        SamPredictor.Prediction libSecond = lib.predict(new double[] {300, 200, 200, 250}, new int[] {1, 1}, null,
                maskInput, false, false);
        assertSame(postJson("/api/images/" + id + "/predict", second), libSecond);
    }

    @Test
    void servesThePage() throws Exception {
        ServeFixture.Response page = get("/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<script type=\"module\""), "index.html loads the page's module");
        assertEquals(200, get("/app.js").status());
        assertEquals(200, get("/style.css").status());
        Map<String, Object> info = get("/api/info").json();
        assertEquals(ServeFixture.MODEL.config().name(), info.get("model"));
        assertEquals(true, info.get("exifOrientation"), "photos are turned upright, and the page draws them so");
    }

    private static Map<String, Object> prompt(List<?> points, List<?> labels, List<?> box, boolean multimask) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (points != null) {
            m.put("points", points);
            m.put("labels", labels);
        }
        if (box != null) {
            m.put("box", box);
        }
        m.put("multimask", multimask);
        return m;
    }

    private static void check(String id, SamPredictor lib, Map<String, Object> body, double[] points, int[] labels,
                              double[] box, boolean multimask) throws Exception {
        SamPredictor.Prediction expected = lib.predict(points, labels, box, null, multimask, false);
        assertSame(postJson("/api/images/" + id + "/predict", body), expected);
    }

    private static void assertSame(ServeFixture.Response r, SamPredictor.Prediction expected) {
        assertEquals(200, r.status(), r.body());
        List<?> masks = (List<?>) r.json().get("masks");
        float[] iou = expected.iouPredictions().contiguous().toFloatArray();
        assertEquals(iou.length, masks.size());
        for (int k = 0; k < iou.length; k++) {
            Map<?, ?> m = (Map<?, ?>) masks.get(k);
            assertEquals(iou[k], ((Number) m.get("iou")).floatValue(), "iou of mask " + k);
            byte[] want = expected.masks().select(0, k).contiguous().toByteArray();
            byte[] got = decodeRle((Map<?, ?>) m.get("rle"));
            assertArrayEquals(want, got, "mask " + k);
            int area = 0;
            for (byte b : want) {
                area += b;
            }
            assertEquals((long) area, m.get("area"));
        }
    }
}
