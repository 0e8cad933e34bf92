package dev.jsam.serve;

import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server against hostile clients: stalled connections do not starve others, a stalled request
 * is cut off after the request timeout, other sites' pages cannot change state, Host tricks do not
 * pass the loopback guard, and an image too thin for the model is a 4xx naming its size.
 */
class ServeHardeningTest {
    private static final int STALLED = 64;

    @Test
    void stalledClientsDoNotStarveOthers() throws Exception {
        int port = ServeFixture.server().port();
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < STALLED; i++) {
                Socket s = new Socket("127.0.0.1", port);
                OutputStream out = s.getOutputStream();
                // half a request line, or whole headers and a tenth of the promised body
                out.write((i % 2 == 0 ? "GET /api/in" : "POST /api/images HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Length: 1000\r\n\r\n0123456789").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                stalled.add(s);
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            long t0 = System.nanoTime();
            HttpResponse<String> info = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/info")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, info.statusCode(), info.body());
            assertTrue(millis < 1000, "answered in " + millis + " ms with " + STALLED + " stalled connections");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void stateChangingRequestsFromOtherSitesAreRefused() throws Exception {
        int port = ServeFixture.server().port();
        byte[] png = tinyPng();
        String[] crossSite = {
            "Origin: http://evil.example\r\nContent-Type: text/plain\r\n",
            "Origin: http://localhost:" + port + ".evil.example\r\n",
            "Origin: null\r\n",
            "Origin: http://127.0.0.1:" + (port == 1 ? 2 : port - 1) + "\r\n",
            "Sec-Fetch-Site: cross-site\r\n",
            "Sec-Fetch-Site: same-site\r\nOrigin: http://127.0.0.1:" + port + "\r\n",
        };
        for (String headers : crossSite) {
            ServeFixture.Response r = upload(port, headers, png);
            assertEquals(403, r.status(), headers + r.body());
            assertTrue(r.error().startsWith("cross-site request refused"), r.error());
        }
        ServeFixture.Response own = upload(port, "Origin: http://127.0.0.1:" + port + "\r\nSec-Fetch-Site: same-origin\r\n", png);
        assertEquals(201, own.status(), own.body());
        assertEquals(201, upload(port, "", png).status(), "a client that is not a browser (no Origin) passes");
        ServeFixture.Response read = ServeFixture.raw(port, "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Origin: http://evil.example\r\nConnection: close\r\n\r\n");
        assertEquals(200, read.status(), "reads change nothing, and CORS keeps their answers from other pages");
    }

    @Test
    void hostTricksDoNotPassTheLoopbackGuard() throws Exception {
        int port = ServeFixture.server().port();
        for (String hosts : List.of("Host: localhost\r\nHost: evil.example\r\n", "Host: localhost:1@evil.com\r\n",
                "Host: 127.0.0.1:80/evil\r\n", "Host: [::1].evil\r\n", "Host: localhost:\r\n", "")) {
            ServeFixture.Response r = ServeFixture.raw(port, "GET /api/info HTTP/1.1\r\n" + hosts
                    + "Connection: close\r\n\r\n");
            assertEquals(403, r.status(), hosts);
        }
    }

    @Test
    void anImageTooThinForTheModelIsRefusedNamingItsSize(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("thin.png");
        Images.writePng(RgbImage.of(10000, 1, new byte[10000 * 3]), png);
        ServeFixture.Response r = ServeFixture.post("/api/images", Files.readAllBytes(png));
        assertEquals(422, r.status(), r.body());
        assertTrue(r.error().contains("10000 x 1 pixels is too thin"), r.error());
    }

    /** Child process: `sam serve` with a 1 s request timeout on a free port; prints its URL. */
    @Test
    void aStalledRequestIsCutOffAfterTheRequestTimeout() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), "dev.jsam.cli.Main", "serve", "--checkpoint",
                ServeFixture.testdata("golden/tiny/sam_tiny.safetensors").toString(), "--port", "0",
                "--threads", "1", "--request-timeout", "1")).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int port = -1;
            while (port < 0 && (line = out.readLine()) != null) {
                int at = line.indexOf("open http://127.0.0.1:");
                if (at >= 0) {
                    port = Integer.parseInt(line.substring(at + 22, line.length() - 1));
                }
            }
            assertTrue(port > 0, "the server printed no URL");
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("POST /api/images HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nab"
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.setSoTimeout(10_000);
                long t0 = System.nanoTime();
                assertEquals(-1, s.getInputStream().read(), "the server closes the stalled request");
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds > 0.5 && seconds < 5, "cut off after " + seconds + " s, the timeout being 1 s");
            }
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
    }

    private static ServeFixture.Response upload(int port, String headers, byte[] body) throws Exception {
        return ServeFixture.raw(port, "POST /api/images HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n", body);
    }

    private static byte[] tinyPng() throws Exception {
        Path png = Files.createTempFile("jsam-tiny-", ".png");
        try {
            Images.writePng(RgbImage.of(8, 6, new byte[8 * 6 * 3]), png);
            return Files.readAllBytes(png);
        } finally {
            Files.delete(png);
        }
    }
}
