package dev.jsam.serve;

import dev.jsam.nn.Weights;
import dev.jsam.sam.Prompt;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `sam serve`'s HQ-SAM switch: /api/info says whether the model is HQ-SAM, a prompt answers one mask,
 * "hqTokenOnly" gives the HQ mask alone (the library's answer for the same image and prompt), and a
 * server with SAM's decoder refuses the field with a 400 naming it.
 */
class ServeHqTest {
    @Test
    void aSamServerRefusesHqTokenOnly() throws Exception {
        String id = (String) ServeFixture.dog().get("id");
        ServeFixture.Response r = ServeFixture.postJson("/api/images/" + id + "/predict",
                Map.of("points", List.of(List.of(100, 100)), "labels", List.of(1), "hqTokenOnly", true));
        assertEquals(400, r.status(), r.body());
        assertTrue(r.error().contains("hqTokenOnly applies to HQ-SAM models"), r.error());
        assertEquals(false, ServeFixture.get("/api/info").json().get("hq"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anHqServerAnswersOneMaskAndTheHqMaskAloneOnRequest() throws Exception {
        SamConfig config = SamConfig.hq(SamConfig.vitT());
        try (CpuBackend be = CpuBackend.create(2)) {
            Sam sam = new Sam(Weights.of(new SyntheticWeights(config, be), be), config);
            try (SamServer server = SamServer.start(sam, ServerOptions.defaults().withAddress("127.0.0.1", 0))) {
                HttpClient client = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.port();
                Map<String, Object> info = (Map<String, Object>) Json.parse(client.send(HttpRequest.newBuilder(
                        URI.create(base + "/api/info")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
                assertEquals(true, info.get("hq"));
                assertEquals("hq_vit_t", info.get("model"));
                byte[] png = Files.readAllBytes(ServeFixture.testdata("images/dog.png"));
                Map<String, Object> up = (Map<String, Object>) Json.parse(client.send(HttpRequest.newBuilder(
                        URI.create(base + "/api/images")).POST(HttpRequest.BodyPublishers.ofByteArray(png)).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                String predict = base + "/api/images/" + up.get("id") + "/predict";
                byte[][] masks = new byte[2][];
                for (int k = 0; k < 2; k++) {
                    String body = Json.write(Map.of("points", List.of(List.of(500, 375)), "labels", List.of(1),
                            "hqTokenOnly", k == 1));
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(predict))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    List<?> answer = (List<?>) ((Map<String, Object>) Json.parse(r.body())).get("masks");
                    assertEquals(1, answer.size(), "HQ-SAM answers one mask per prompt");
                    masks[k] = ServeFixture.decodeRle((Map<?, ?>) ((Map<?, ?>) answer.getFirst()).get("rle"));
                }
                SamPredictor library = new SamPredictor(sam);
                library.setImage(Images.read(ServeFixture.testdata("images/dog.png")));
                library.setHqTokenOnly(true);
                boolean[] px = library.predict(Prompt.point(500, 375)).getFirst().binaryMask().data();
                byte[] expected = new byte[px.length];
                for (int i = 0; i < px.length; i++) {
                    expected[i] = (byte) (px[i] ? 1 : 0);
                }
                assertArrayEquals(expected, masks[1], "hqTokenOnly: the library's HQ mask");
                assertFalse(java.util.Arrays.equals(masks[0], masks[1]), "without it the SAM mask is added");
            }
        }
    }
}
