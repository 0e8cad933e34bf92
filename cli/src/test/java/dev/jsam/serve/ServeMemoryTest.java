package dev.jsam.serve;

import dev.jsam.cli.MemoryBudget;
import dev.jsam.sam.MemoryModel;
import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.image.Images;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's memory budget: an upload whose image could never fit is refused with 413 naming
 * what it needs, work that does not fit beside what is in flight gets 503 and fits again once that
 * is done, and a budget the cache alone would fill is refused at start.
 */
class ServeMemoryTest {
    private static final long MB = 1 << 20;

    @Test
    void anImageThatCouldNeverFitIs413AndSmallOnesStillWork() throws Exception {
        long cache = 64 * MB;
        byte[] dogJpg = Files.readAllBytes(ServeFixture.testdata("images/dog.jpg"));
        ImageHeader dog = Images.header(ServeFixture.testdata("images/dog.jpg"), ExifOrientation.APPLY);
        // Room for the dog (534 x 800) with 8 MB to spare, not for a 4000 x 4000 image, beside a 64 MB cache.
        long budget = MemoryBudget.RUNTIME_BYTES + MemoryModel.imageArrays(cache)
                + MemoryBudget.upload(ServeFixture.MODEL.config(), dog)
                + dogJpg.length + 8 * MB;
        ServerOptions options = ServerOptions.defaults().withAddress("127.0.0.1", 0)
                .withLimits(cache, 50 * MB, 20_000_000L).withMemory(budget);
        try (SamServer server = SamServer.start(ServeFixture.MODEL, options)) {
            HttpResponse<String> big = upload(server, blackPng(4000, 4000));
            assertEquals(413, big.statusCode(), big.body());
            assertTrue(big.body().contains("this 4000 x 4000 image needs about")
                    && big.body().contains("--memory-mb"), big.body());
            HttpResponse<String> small = upload(server, dogJpg);
            assertEquals(201, small.statusCode(), small.body());
        }
    }

    @Test
    void theGateRefusesWhatNeverFitsAndWhatDoesNotFitNow() {
        MemoryGate gate = new MemoryGate(100);
        ApiException never = assertThrows(ApiException.class, () -> gate.reserve(101, "x"));
        assertEquals(413, never.status());
        MemoryGate.Reservation a = gate.reserve(60, "a");
        ApiException busy = assertThrows(ApiException.class, () -> gate.reserve(50, "b"));
        assertEquals(503, busy.status());
        assertTrue(busy.getMessage().startsWith("busy: b needs about"), busy.getMessage());
        a.close();
        a.close();
        assertEquals(0, gate.reserved());
        try (MemoryGate.Reservation b = gate.reserve(50, "b"); MemoryGate.Reservation kept = gate.hold(80)) {
            assertEquals(130, gate.reserved());
            assertEquals(503, assertThrows(ApiException.class, () -> gate.reserve(1, "c")).status());
        }
        assertEquals(0, gate.reserved());
    }

    @Test
    void aBudgetTheCacheWouldFillIsRefusedAtStart() {
        ServerOptions options = ServerOptions.defaults().withAddress("127.0.0.1", 0).withMemory(512 * MB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SamServer.start(ServeFixture.MODEL, options));
        assertTrue(e.getMessage().contains("lower --cache-mb"), e.getMessage());
    }

    private static HttpResponse<String> upload(SamServer server, byte[] body) throws Exception {
        return ServeFixture.CLIENT.send(HttpRequest.newBuilder(URI.create(server.url() + "api/images"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] blackPng(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "png", out);
        return out.toByteArray();
    }
}
