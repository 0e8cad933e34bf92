package dev.jsam.serve;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.Json;

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
import java.util.List;
import java.util.Map;

/**
 * What the serve tests share, built once per test JVM: the tiny model, a server on a free loopback
 * port (with a quick "segment everything" default), the dog image uploaded once, and a library predictor that encoded the same image itself
 * (the answers the API must reproduce). Plus small HTTP helpers and an RLE decoder for checking.
 */
final class ServeFixture {
    static final CpuBackend BACKEND = CpuBackend.create();
    static final Sam MODEL = load();
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** "Segment everything" kept quick (16 points) and, for the tiny model's low IoUs, unfiltered. */
    static final AmgParams AMG_DEFAULTS = AmgParams.defaults().withPointsPerSide(4).withThresholds(-1, -1);
    private static SamServer server;
    private static Map<String, Object> dogUpload;
    private static SamPredictor dogLibrary;

    private ServeFixture() {
    }

    static Path testdata(String relative) {
        return Path.of(System.getProperty("jsam.testdata", "testdata")).resolve(relative);
    }

    private static Sam load() {
        try {
            return Sam.fromSource(SafetensorsSource.open(testdata("golden/tiny/sam_tiny.safetensors"), BACKEND), BACKEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized SamServer server() throws IOException {
        if (server == null) {
            server = SamServer.start(MODEL, ServerOptions.defaults().withAddress("127.0.0.1", 0)
                    .withAmgDefaults(AMG_DEFAULTS));
        }
        return server;
    }

    /** The upload answer of testdata/images/dog.jpg on the shared server. */
    static synchronized Map<String, Object> dog() throws Exception {
        if (dogUpload == null) {
            Response r = post("/api/images", Files.readAllBytes(testdata("images/dog.jpg")));
            if (r.status() != 201) {
                throw new AssertionError("upload failed: " + r.status() + " " + r.body());
            }
            dogUpload = r.json();
        }
        return dogUpload;
    }

    /** A library predictor that encoded dog.jpg itself, independent of the server. */
    static synchronized SamPredictor dogLibrary() throws IOException {
        if (dogLibrary == null) {
            RgbImage image = Images.read(testdata("images/dog.jpg"));
            dogLibrary = new SamPredictor(MODEL);
            dogLibrary.setImage(image);
        }
        return dogLibrary;
    }

    record Response(int status, String body) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(body);
        }

        String error() {
            return (String) json().get("error");
        }
    }

    static Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    static Response post(String path, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    static Response postJson(String path, Object body) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : Json.write(body);
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build());
    }

    private static URI uri(String path) throws IOException {
        return URI.create("http://127.0.0.1:" + server().port() + path);
    }

    private static Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** A request written byte for byte to a socket, so that no client normalises the path or the headers. */
    static Response raw(int port, String head, byte[]... body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            for (byte[] b : body) {
                out.write(b);
            }
            out.flush();
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            int split = text.indexOf("\r\n\r\n");
            return new Response(status, split < 0 ? "" : text.substring(split + 4));
        }
    }

    /** Decodes the API's column-major uncompressed RLE into a row-major 0/1 mask. */
    static byte[] decodeRle(Map<?, ?> rle) {
        List<?> size = (List<?>) rle.get("size");
        int h = ((Number) size.get(0)).intValue();
        int w = ((Number) size.get(1)).intValue();
        byte[] out = new byte[h * w];
        int pos = 0;
        byte value = 0;
        for (Object c : (List<?>) rle.get("counts")) {
            for (int i = 0; i < ((Number) c).intValue(); i++, pos++) {
                out[(pos % h) * w + pos / h] = value;
            }
            value ^= 1;
        }
        if (pos != h * w) {
            throw new AssertionError("RLE runs add up to " + pos + ", not " + h * w);
        }
        return out;
    }
}
