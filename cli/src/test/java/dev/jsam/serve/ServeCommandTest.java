package dev.jsam.serve;

import dev.jsam.cli.Main;
import dev.jsam.kernels.cuda.CudaBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `sam serve` from the command line: bad options exit 2 with one line, --help prints the usage,
 * and a real run on the tiny model binds to 127.0.0.1, prints a URL that serves the page, and
 * stops cleanly when its thread is interrupted.
 */
class ServeCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badOptionsExit2WithOneLine() {
        assertEquals(2, run("serve"));
        assertEquals("sam serve: missing --checkpoint", err.toString(StandardCharsets.UTF_8).trim());
        err.reset();
        assertEquals(2, run("serve", "--checkpoint", "nowhere.safetensors"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not found"));
        err.reset();
        String checkpoint = ServeFixture.testdata("golden/tiny/sam_tiny.safetensors").toString();
        assertEquals(2, run("serve", "--checkpoint", checkpoint, "--port", "70000"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--port must be 0..65535"));
        assertEquals(0, run("serve", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: sam serve --checkpoint"));
        err.reset();
        assertEquals(2, run("serve", "--checkpoint", checkpoint, "--device", "tpu"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--device tpu: unknown device \"tpu\": expected cpu, cpu-reference, cuda"), err.toString());
    }

    /** Where no GPU can be used, --device cuda is an error naming the cause, never a CPU server. */
    @Test
    void deviceCudaWithoutAGpuExits2() {
        Assumptions.assumeTrue(CudaBackend.unavailableReason() != null, "a GPU is present");
        String checkpoint = ServeFixture.testdata("golden/tiny/sam_tiny.safetensors").toString();
        assertEquals(2, run("serve", "--checkpoint", checkpoint, "--device", "cuda", "--port", "0"));
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.startsWith("sam serve: --device cuda: CUDA driver unavailable"), msg);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsAWorkingUrlOnLoopbackAndStopsWhenInterrupted() throws Exception {
        String checkpoint = ServeFixture.testdata("golden/tiny/sam_tiny.safetensors").toString();
        AtomicInteger code = new AtomicInteger(-1);
        Thread serving = new Thread(() -> code.set(run("serve", "--checkpoint", checkpoint, "--port", "0")));
        serving.start();
        Pattern url = Pattern.compile("open (http://127\\.0\\.0\\.1:\\d+/)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 600 && !m.find(); i++) {
            Thread.sleep(100);
            m = url.matcher(out.toString(StandardCharsets.UTF_8));
        }
        assertTrue(m.find(0), "no URL printed: " + out + err);
        HttpResponse<String> page = ServeFixture.CLIENT.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("Segment Anything"));
        serving.interrupt();
        serving.join(10_000);
        assertEquals(0, code.get());
    }
}
