package dev.jsam.serve;

import dev.jsam.cli.ChildRun;
import dev.jsam.cli.Main;
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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded soak of `sam serve` on loopback, the server in a child JVM with a 768 MB heap so its
 * resident memory can be read: for {@code jsam.soak.seconds} (20 by default; e.g.
 * {@code -Djsam.soak.seconds=1800} to run it by hand for half an hour) or {@code jsam.soak.requests}
 * requests, whichever ends first, two clients prompt two images with random points and boxes, one
 * re-uploads them, one runs "segment everything" again and again, and one drops connections
 * mid-request (half a body, a request closed before its answer, a connection closed at once).
 * Every answer must be what the library gives on the same image (masks bit for bit, IoUs, the
 * generator's annotations), no answer may be a 5xx, and the server's peak resident memory must
 * stay under its heap plus the JVM's own memory and the mapped weights.
 */
@Tag("slow")
class ServeSoakTest {
    private static final int SECONDS = Integer.getInteger("jsam.soak.seconds", 20);
    private static final int MAX_REQUESTS = Integer.getInteger("jsam.soak.requests", 100_000);
    private static final int HEAP_MB = 768;
    /** What the JVM holds besides the heap (code, classes, collector tables, threads), with room to spare. */
    private static final long JVM_OWN_BYTES = 200L << 20;
    private static final String AMG_PARAMS = "{\"pointsPerSide\": 4, \"predIouThresh\": -1, \"stabilityScoreThresh\": -1}";

    @TempDir
    Path tmp;

    private final HttpClient client = HttpClient.newHttpClient();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private int port;
    private long deadline;

    /** An image on the server and a library predictor that encoded the same file. */
    private record Known(String id, byte[] file, SamPredictor library) {
    }

    @Test
    void serverAnswersCorrectlyAndStaysInsideItsMemory() throws Exception {
        Path checkpoint = ServeFixture.testdata("golden/tiny/sam_tiny.safetensors");
        ChildRun server = ChildRun.start(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx" + HEAP_MB + "m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--checkpoint", checkpoint.toString(), "--port", "0", "--cache-mb", "64", "--max-megapixels", "4",
                "--threads", "2"), tmp.resolve("server.log"));
        try {
            port = awaitPort(server);
            List<Known> images = List.of(known("images/dog.jpg"), known("images/truck.jpg"));
            List<Map<String, Object>> amgExpected = expectedAnnotations();
            deadline = System.nanoTime() + SECONDS * 1_000_000_000L;
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                long seed = c;
                clients.add(Thread.ofVirtual().start(() -> run("prompter", () -> prompter(images, new SplittableRandom(seed)))));
            }
            clients.add(Thread.ofVirtual().start(() -> run("uploader", () -> uploader(images))));
            clients.add(Thread.ofVirtual().start(() -> run("amg", () -> segmentEverything(images.get(0), amgExpected))));
            clients.add(Thread.ofVirtual().start(() -> run("dropper", () -> dropper(images.get(0), new SplittableRandom(9)))));
            for (Thread t : clients) {
                t.join();
            }
            assertEquals(200, send(HttpRequest.newBuilder(uri("/api/info")).GET().build()).statusCode());
            long weights = Files.size(checkpoint);
            long bound = ((long) HEAP_MB << 20) + JVM_OWN_BYTES + weights;
            System.out.printf("soak: %d requests in %d s, server VmHWM %d MB (bound %d MB)%n", requests.get(), SECONDS,
                    server.peakRssBytes() >> 20, bound >> 20);
            assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.stream().limit(5).toList()
                    + "\nserver log:\n" + server.log());
            assertTrue(requests.get() > 20, "only " + requests.get() + " requests were answered");
            assertTrue(server.peakRssBytes() < bound, "server VmHWM " + (server.peakRssBytes() >> 20) + " MB, bound "
                    + (bound >> 20) + " MB");
        } finally {
            server.stop();
        }
    }

    /** One client's loop, with anything it throws counted as a failure. */
    private void run(String name, Loop loop) {
        try {
            while (System.nanoTime() < deadline && requests.get() < MAX_REQUESTS && failures.size() < 20) {
                loop.once();
            }
        } catch (Exception | AssertionError e) {
            failures.add(name + ": " + e);
        }
    }

    private interface Loop {
        void once() throws Exception;
    }

    /** A random prompt on a random image; each mask and IoU must be the library's. */
    private void prompter(List<Known> images, SplittableRandom r) throws Exception {
        Known k = images.get(r.nextInt(images.size()));
        int w = k.library().getImageEmbedding().originalW(), h = k.library().getImageEmbedding().originalH();
        int n = r.nextInt(4);
        double[] points = new double[2 * n];
        int[] labels = new int[n];
        List<Object> jsonPoints = new ArrayList<>();
        List<Object> jsonLabels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points[2 * i] = r.nextInt(w);
            points[2 * i + 1] = r.nextInt(h);
            labels[i] = r.nextInt(2);
            jsonPoints.add(List.of(points[2 * i], points[2 * i + 1]));
            jsonLabels.add(labels[i]);
        }
        double[] box = n == 0 || r.nextBoolean() ? box(r, w, h) : null;
        boolean multimask = r.nextBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        if (n > 0) {
            body.put("points", jsonPoints);
            body.put("labels", jsonLabels);
        }
        if (box != null) {
            body.put("box", List.of(box[0], box[1], box[2], box[3]));
        }
        body.put("multimask", multimask);
        HttpResponse<String> answer = postJson("/api/images/" + k.id() + "/predict", Json.write(body));
        if (answer.statusCode() != 200) {
            failures.add("predict " + body + ": " + answer.statusCode() + " " + answer.body());
            return;
        }
        SamPredictor.Prediction want;
        synchronized (k.library()) {
            want = k.library().predict(n == 0 ? null : points, n == 0 ? null : labels, box, null, multimask, false);
        }
        List<?> masks = (List<?>) ((Map<?, ?>) Json.parse(answer.body())).get("masks");
        float[] iou = want.iouPredictions().toFloatArray();
        assertEquals(iou.length, masks.size(), "masks for " + body);
        for (int m = 0; m < iou.length; m++) {
            Map<?, ?> mask = (Map<?, ?>) masks.get(m);
            assertEquals((double) iou[m], ((Number) mask.get("iou")).doubleValue(), 0.0, "IoU " + m + " of " + body);
            byte[] bits = want.masks().select(0, m).contiguous().toByteArray();
            if (!Arrays.equals(bits, ServeFixture.decodeRle((Map<?, ?>) mask.get("rle")))) {
                failures.add("mask " + m + " of " + body + " differs from the library's");
            }
        }
    }

    private static double[] box(SplittableRandom r, int w, int h) {
        double x0 = r.nextInt(w), y0 = r.nextInt(h);
        return new double[] {x0, y0, x0 + r.nextInt(w - (int) x0), y0 + r.nextInt(h - (int) y0)};
    }

    /** Uploads the images again; each upload answers its size, and the new id answers a prompt. */
    private void uploader(List<Known> images) throws Exception {
        for (Known k : images) {
            HttpResponse<String> up = post("/api/images", k.file());
            if (up.statusCode() != 201) {
                failures.add("upload: " + up.statusCode() + " " + up.body());
                continue;
            }
            Map<?, ?> json = (Map<?, ?>) Json.parse(up.body());
            assertEquals((long) k.library().getImageEmbedding().originalW(), json.get("width"));
            HttpResponse<String> p = postJson("/api/images/" + json.get("id") + "/predict",
                    "{\"points\": [[100, 100]], \"labels\": [1]}");
            assertEquals(200, p.statusCode(), p.body());
        }
    }

    /** Segment everything on the dog, to the end; the annotations must be the library generator's. */
    private void segmentEverything(Known dog, List<Map<String, Object>> expected) throws Exception {
        String url = "/api/images/" + dog.id() + "/amg";
        HttpResponse<String> started = postJson(url, AMG_PARAMS);
        if (started.statusCode() != 202) {
            failures.add("amg start: " + started.statusCode() + " " + started.body());
            return;
        }
        Map<?, ?> status;
        do {
            Thread.sleep(200);
            HttpResponse<String> s = send(HttpRequest.newBuilder(uri(url)).GET().build());
            assertEquals(200, s.statusCode(), s.body());
            status = (Map<?, ?>) Json.parse(s.body());
        } while (status.get("state").equals("queued") || status.get("state").equals("running"));
        assertEquals("done", status.get("state"), String.valueOf(status.get("error")));
        assertEquals(Json.write(expected), Json.write(status.get("masks")));
    }

    /** Requests cut off: half a body, an answer never read, a connection closed at once. */
    private void dropper(Known dog, SplittableRandom r) throws Exception {
        String host = "Host: 127.0.0.1:" + port + "\r\n";
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            switch (r.nextInt(3)) {
                case 0 -> {
                    out.write(("POST /api/images HTTP/1.1\r\n" + host + "Content-Length: " + dog.file().length
                            + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(dog.file(), 0, dog.file().length / 2);
                }
                case 1 -> {
                    byte[] body = "{\"points\": [[200, 150]], \"labels\": [1]}".getBytes(StandardCharsets.UTF_8);
                    out.write(("POST /api/images/" + dog.id() + "/predict HTTP/1.1\r\n" + host + "Content-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body);
                    out.flush();
                    InputStream in = s.getInputStream();
                    in.read(new byte[16]);
                }
                default -> {
                }
            }
            out.flush();
        }
        requests.incrementAndGet();
        Thread.sleep(20);
    }

    private Known known(String file) throws Exception {
        byte[] bytes = Files.readAllBytes(ServeFixture.testdata(file));
        HttpResponse<String> up = post("/api/images", bytes);
        assertEquals(201, up.statusCode(), up.body());
        RgbImage image = Images.read(ServeFixture.testdata(file));
        SamPredictor library = new SamPredictor(ServeFixture.MODEL);
        library.setImage(image);
        return new Known((String) ((Map<?, ?>) Json.parse(up.body())).get("id"), bytes, library);
    }

    private static List<Map<String, Object>> expectedAnnotations() throws IOException {
        RgbImage image = Images.read(ServeFixture.testdata("images/dog.jpg"));
        AmgParams p = AmgParams.defaults().withPointsPerSide(4).withThresholds(-1, -1);
        return Annotations.of(new AutomaticMaskGenerator(p).generate(image.height(), image.width(),
                new SamCropPredictor(new SamPredictor(ServeFixture.MODEL), image)), Annotations.OutputMode.UNCOMPRESSED_RLE);
    }

    /** The port the child announces ("open http://127.0.0.1:PORT/"), waiting up to 60 s. */
    private static int awaitPort(ChildRun server) throws InterruptedException {
        Pattern url = Pattern.compile("open http://127\\.0\\.0\\.1:(\\d+)/");
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            Matcher m = url.matcher(server.log());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server did not start: " + server.log());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpResponse<String> postJson(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Sends a request, counting it and recording any 5xx. */
    private HttpResponse<String> send(HttpRequest request) throws Exception {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        requests.incrementAndGet();
        if (r.statusCode() >= 500) {
            failures.add(request.method() + " " + request.uri().getPath() + ": " + r.statusCode() + " " + r.body());
        }
        return r;
    }
}
