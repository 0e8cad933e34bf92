package dev.jsam.serve;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.jsam.serve.ServeFixture.post;
import static dev.jsam.serve.ServeFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several clients at once: two images uploaded concurrently get distinct ids and their own sizes,
 * then eight clients interleave prompts on both images and every answer matches the one the same
 * prompt got when asked alone, so no request sees another's image or prompt. "Matches" allows what
 * the CPU backend's parallel sums may vary under load: IoU within 1e-5, masks within 1e-4 of pixels.
 */
@Tag("slow")
class ServeConcurrencyTest {

    @Test
    void concurrentClientsGetIndependentAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<Map<String, Object>> truck = pool.submit(() -> upload("images/truck.jpg"));
            Future<Map<String, Object>> dog = pool.submit(() -> upload("images/dog.jpg"));
            String truckId = (String) truck.get().get("id");
            String dogId = (String) dog.get().get("id");
            assertNotEquals(truckId, dogId);
            assertNotEquals(truck.get().get("width"), dog.get().get("width"));

            List<String> ids = List.of(truckId, dogId);
            List<String> prompts = List.of(
                    "{\"points\": [[200, 150]], \"labels\": [1]}",
                    "{\"points\": [[400, 300], [100, 100]], \"labels\": [1, 0]}",
                    "{\"box\": [30, 40, 300, 260], \"multimask\": false}",
                    "{\"points\": [[120, 200]], \"labels\": [1], \"box\": [60, 100, 350, 330]}");
            List<List<?>> alone = new ArrayList<>();
            for (String id : ids) {
                for (String p : prompts) {
                    alone.add(predict(id, p));
                }
            }
            List<Future<List<?>>> together = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < alone.size(); i++) {
                    String id = ids.get(i / prompts.size());
                    String p = prompts.get(i % prompts.size());
                    together.add(pool.submit((Callable<List<?>>) () -> predict(id, p)));
                }
            }
            for (int i = 0; i < together.size(); i++) {
                assertMatches(alone.get(i % alone.size()), together.get(i).get(), "answer " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Object> upload(String image) throws Exception {
        ServeFixture.Response r = post("/api/images", Files.readAllBytes(ServeFixture.testdata(image)));
        assertEquals(201, r.status(), r.body());
        return r.json();
    }

    /** The masks of an answer (its timing left out). */
    private static List<?> predict(String id, String prompt) throws Exception {
        ServeFixture.Response r = postJson("/api/images/" + id + "/predict", prompt);
        assertEquals(200, r.status(), r.body());
        return (List<?>) r.json().get("masks");
    }

    private static void assertMatches(List<?> want, List<?> got, String what) {
        assertEquals(want.size(), got.size(), what);
        for (int k = 0; k < want.size(); k++) {
            Map<?, ?> a = (Map<?, ?>) want.get(k);
            Map<?, ?> b = (Map<?, ?>) got.get(k);
            assertEquals(((Number) a.get("iou")).doubleValue(), ((Number) b.get("iou")).doubleValue(), 1e-5, what);
            byte[] ma = ServeFixture.decodeRle((Map<?, ?>) a.get("rle"));
            byte[] mb = ServeFixture.decodeRle((Map<?, ?>) b.get("rle"));
            assertEquals(ma.length, mb.length, what);
            int differ = 0;
            for (int i = 0; i < ma.length; i++) {
                differ += ma[i] != mb[i] ? 1 : 0;
            }
            assertTrue(differ <= ma.length * 1e-4, what + ": " + differ + " pixels differ");
        }
    }
}
