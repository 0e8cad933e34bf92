package dev.jsam.serve;

import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.jsam.serve.ServeFixture.get;
import static dev.jsam.serve.ServeFixture.post;
import static dev.jsam.serve.ServeFixture.postJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Refusals: each bad request gets its 4xx and a one-line JSON reason (no stack trace), and the
 * server answers normally afterwards. Uses a second server with small limits for the size cases
 * (refused before any encoding); prompt errors are checked against the shared dog upload.
 */
class ServeErrorsTest {
    private static SamServer small;

    @BeforeAll
    static void start() throws IOException {
        small = SamServer.start(ServeFixture.MODEL, ServerOptions.defaults().withAddress("127.0.0.1", 0)
                .withLimits(1 << 20, 2000, 5000));
    }

    @AfterAll
    static void stop() {
        small.close();
    }

    @Test
    void forgottenIdIsA404() throws Exception {
        assertRefused(postJson("/api/images/AAAAAAAAAAAAAAAAAAAAAA/predict", Map.of("points", List.of(List.of(1, 1)),
                "labels", List.of(1))), 404, "unknown image id");
        assertRefused(get("/api/images/AAAAAAAAAAAAAAAAAAAAAA"), 404, "unknown image id");
        assertRefused(get("/api/nothing"), 404, "no such endpoint");
    }

    @Test
    void nonImagesAndEmptyUploadsAreRefused() throws Exception {
        assertRefused(post("/api/images", "{\"not\": \"an image\"}".getBytes(StandardCharsets.UTF_8)), 415, "not an image");
        assertRefused(post("/api/images", new byte[0]), 400, "empty upload");
        byte[] truncatedPng = java.util.Arrays.copyOf(Files.readAllBytes(ServeFixture.testdata("images/dog.png")), 200);
        assertRefused(post("/api/images", truncatedPng), 415, "not an image");
        byte[] jpeg = Files.readAllBytes(ServeFixture.testdata("images/dog.jpg"));
        ServeFixture.Response cut = post("/api/images", java.util.Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        assertRefused(cut, 415, "cut short or corrupt");
        assertFalse(cut.body().contains("jsam-upload"), "the temporary file's name stays inside: " + cut.body());
        assertRefused(get("/api/images"), 405, "use POST");
    }

    @Test
    void uploadLimitsAreEnforced(@TempDir Path dir) throws Exception {
        ServeFixture.Response big = raw(small, "POST /api/images HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3000\r\n"
                + "Connection: close\r\n\r\n" + "x".repeat(3000));
        assertEquals(413, big.status(), big.body());
        Path png = dir.resolve("wide.png");
        Images.writePng(RgbImage.of(100, 60, new byte[100 * 60 * 3]), png);
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length < 2000);
        ServeFixture.Response many = raw(small, "POST /api/images HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                + bytes.length + "\r\nConnection: close\r\n\r\n", bytes);
        assertEquals(413, many.status(), many.body());
        assertTrue(many.body().contains("100 x 60"), many.body());
    }

    @Test
    void badPromptsAreRefusedWithTheirReason() throws Exception {
        String url = "/api/images/" + ServeFixture.dog().get("id") + "/predict";
        assertRefused(postJson(url, "{\"points\": [[1, 2]"), 400, "bad JSON");
        assertRefused(postJson(url, "[1, 2]"), 400, "JSON object");
        assertRefused(postJson(url, "{}"), 400, "at least one point or a box");
        assertRefused(postJson(url, "{\"points\": [[1, 2]], \"labels\": [2]}"), 400, "labels[0]");
        assertRefused(postJson(url, "{\"points\": [[1, 2], [3, 4]], \"labels\": [1]}"), 400, "one label per point");
        assertRefused(postJson(url, "{\"points\": [[1, \"a\"]], \"labels\": [1]}"), 400, "points[0]");
        assertRefused(postJson(url, "{\"box\": [10, 10, 5, 20]}"), 400, "x0 <= x1");
        assertRefused(postJson(url, "{\"box\": [1, 2, 3]}"), 400, "box must be a list of 4");
        assertRefused(postJson(url, "{\"box\": [1, 2, 3, 4], \"maskInput\": \"AAAA\"}"), 400, "maskInput must be 65536");
        assertRefused(postJson(url, "{\"box\": [1, 2, 3, 4], \"multimask\": 1}"), 400, "multimask");
        assertRefused(postJson(url, "{\"box\": [1, 2, 3, 4], \"colour\": 1}"), 400, "unknown field");
        assertRefused(get(url), 405, "use POST");
        assertEquals(200, postJson(url, "{\"box\": [1, 2, 300, 400]}").status());
    }

    @Test
    void staticFilesComeOnlyFromTheJar() throws Exception {
        for (String path : List.of("/../pom.xml", "/%2e%2e/%2e%2e/pom.xml", "/..%2fServeCommand.class",
                "/ServeCommand.class", "/dev/jsam/serve/index.html", "/etc/passwd", "/index.html/", "//index.html")) {
            ServeFixture.Response r = raw(small, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(r.status() == 404 || r.status() == 400, path + " gave " + r.status());
            assertFalse(r.body().contains("<project") || r.body().contains("root:"), path);
        }
        assertEquals(200, raw(small, "GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status());
        assertRefused(ServeFixture.post("/", new byte[] {1}), 405, "use GET");
    }

    @Test
    void onLoopbackOnlyLocalHostNamesAreServed() throws Exception {
        for (String host : List.of("localhost", "127.0.0.1:8080", "LOCALHOST:1", "[::1]:80")) {
            ServeFixture.Response r = raw(small, "GET /api/info HTTP/1.1\r\nHost: " + host
                    + "\r\nConnection: close\r\n\r\n");
            assertEquals(200, r.status(), host);
        }
        for (String host : List.of("evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil")) {
            ServeFixture.Response r = raw(small, "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
            assertEquals(403, r.status(), host);
            assertTrue(r.body().contains("only requests addressed to localhost"), r.body());
        }
    }

    private static void assertRefused(ServeFixture.Response r, int status, String reason) {
        assertEquals(status, r.status(), r.body());
        String error = r.error();
        assertTrue(error.contains(reason), "\"" + error + "\" should say " + reason);
        assertFalse(error.contains("\n") || error.contains("\tat "), "one line, no stack trace: " + error);
    }

    private static ServeFixture.Response raw(SamServer server, String head, byte[]... body) throws IOException {
        return ServeFixture.raw(server.port(), head, body);
    }
}
