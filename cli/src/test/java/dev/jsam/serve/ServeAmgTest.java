package dev.jsam.serve;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.AutomaticMaskGenerator;
import dev.jsam.sam.amg.SamCropPredictor;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.io.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.jsam.serve.ServeFixture.get;
import static dev.jsam.serve.ServeFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Segment everything" over the API: 404 before a job exists, 202 on start, 409 while it runs,
 * progress up to its total, and at the end the same annotations as the library's generator with
 * the same parameters. Thresholds are lowered because the tiny test model's IoUs are near zero.
 */
@Tag("slow")
class ServeAmgTest {

    @Test
    void generatesTheLibrarysMasks() throws Exception {
        String url = "/api/images/" + ServeFixture.dog().get("id") + "/amg";
        assertEquals(404, get(url).status());
        String params = "{\"pointsPerSide\": 4, \"predIouThresh\": -1, \"stabilityScoreThresh\": -1}";
        ServeFixture.Response started = postJson(url, params);
        assertEquals(202, started.status(), started.body());
        assertEquals(2L, started.json().get("total"), "one encode and one batch of 16 points");
        assertEquals(409, postJson(url, params).status());

        Map<String, Object> status = started.json();
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!status.get("state").equals("done")) {
            assertFalse(status.get("state").equals("failed"), String.valueOf(status.get("error")));
            assertTrue(System.nanoTime() < deadline, "AMG did not finish in 300 s: " + status);
            Thread.sleep(250);
            status = get(url).json();
        }
        assertEquals(status.get("total"), status.get("done"));

        RgbImage image = Images.read(ServeFixture.testdata("images/dog.jpg"));
        AmgParams p = AmgParams.defaults().withPointsPerSide(4).withThresholds(-1, -1);
        List<Map<String, Object>> expected = Annotations.of(new AutomaticMaskGenerator(p).generate(image.height(),
                image.width(), new SamCropPredictor(new SamPredictor(ServeFixture.MODEL), image)),
                Annotations.OutputMode.UNCOMPRESSED_RLE);
        assertFalse(expected.isEmpty(), "the parameters should keep some masks");
        assertEquals(Json.write(expected), Json.write(status.get("masks")));
    }

    @Test
    void badParametersAreRefused() throws Exception {
        String url = "/api/images/" + ServeFixture.dog().get("id") + "/amg";
        for (String body : List.of("{\"pointsPerSide\": 0}", "{\"pointsPerSide\": 2.5}", "{\"crops\": 1}", "[]",
                "{\"predIouThresh\": \"high\"}")) {
            ServeFixture.Response r = postJson(url, body);
            assertEquals(400, r.status(), body + " gave " + r.body());
        }
    }
}
