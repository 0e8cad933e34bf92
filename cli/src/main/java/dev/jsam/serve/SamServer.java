package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jsam.cli.MemoryBudget;
import dev.jsam.sam.MemoryModel;
import dev.jsam.sam.modeling.Sam;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The web server of `sam serve` on the JDK's com.sun.net.httpserver: the page's static files at /
 * and the JSON API at /api/, over one shared model. Each request runs on its own virtual thread,
 * so clients that stall mid-request hold nothing others need; the JDK server closes a request not
 * fully received within the request timeout and caps open connections (both fixed by the first
 * server of a JVM: they are the JDK server's system properties, set here unless given with -D).
 * Image encodes run one at a time on their own bounded queue. Requests in flight share a memory
 * budget ({@link MemoryGate}): the memory option less the cache's bound. Bound to loopback, it serves only
 * requests addressed to localhost ({@link LoopbackHosts}); state-changing requests from other
 * sites' pages are refused ({@link SameOrigin}). Not a general web server: no TLS, no auth.
 */
public final class SamServer implements AutoCloseable {
    /** The JDK server's request timeout property (seconds to receive a whole request). */
    static final String MAX_REQUEST_SECONDS = "sun.net.httpserver.maxReqTime";
    /** The JDK server's cap on open connections. */
    static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";

    private final HttpServer http;
    private final ExecutorService requests;
    private final ThreadPoolExecutor encoder;

    private SamServer(HttpServer http, ExecutorService requests, ThreadPoolExecutor encoder) {
        this.http = http;
        this.requests = requests;
        this.encoder = encoder;
    }

    /** Binds to options' host and port (0 picks a free port) and starts serving. */
    public static SamServer start(Sam model, ServerOptions options) throws IOException {
        MemoryGate memory = new MemoryGate(requestMemory(model, options));
        setDefault(MAX_REQUEST_SECONDS, String.valueOf(options.requestTimeoutSeconds()));
        setDefault(MAX_CONNECTIONS, String.valueOf(options.maxConnections()));
        HttpServer http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 64);
        ExecutorService requests = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sam-serve-", 0).factory());
        ThreadPoolExecutor encoder = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, options.encodeQueue())));
        ImageApi api = new ImageApi(model, options, new EmbeddingCache(options.cacheBytes()), encoder, memory);
        boolean loopback = http.getAddress().getAddress().isLoopbackAddress();
        http.createContext("/api/", Http.guard(ex -> {
            checkSender(ex, loopback);
            api.handle(ex);
        }));
        http.createContext("/", Http.guard(ex -> {
            checkSender(ex, loopback);
            StaticFiles.handle(ex);
        }));
        http.setExecutor(requests);
        http.start();
        return new SamServer(http, requests, encoder);
    }

    /**
     * The budget left for requests in flight: the memory option less the runtime's share and the most
     * the cache may hold (its bound, or one largest image alone over it; image-sized arrays counted
     * as {@link MemoryModel#imageArrays}).
     *
     * @throws IllegalArgumentException when nothing is left, naming the options to change
     */
    static long requestMemory(Sam model, ServerOptions options) {
        long largestEntry = 3 * options.maxPixels() + MemoryModel.imageStateBytes(model.config());
        long left = options.memoryBytes() - MemoryBudget.RUNTIME_BYTES
                - MemoryModel.imageArrays(Math.max(options.cacheBytes(), largestEntry));
        long least = MemoryBudget.servePrompt(model.config());
        if (left < least) {
            throw new IllegalArgumentException("a memory budget of " + (options.memoryBytes() >> 20) + " MB leaves "
                    + Math.max(0, left >> 20) + " MB for requests beside the cache (" + (options.cacheBytes() >> 20)
                    + " MB, or one " + (options.maxPixels() / 1_000_000) + "-megapixel image), less than one prompt needs ("
                    + (least >> 20) + " MB): lower --cache-mb or --max-megapixels, or raise --memory-mb (and -Xmx)");
        }
        return left;
    }

    private static void checkSender(HttpExchange ex, boolean loopback) {
        if (loopback) {
            LoopbackHosts.require(ex);
        }
        SameOrigin.require(ex);
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The page's address, e.g. http://127.0.0.1:8080/ (IPv6 hosts in brackets). */
    public String url() {
        String host = http.getAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    @Override
    public void close() {
        http.stop(0);
        requests.shutdownNow();
        encoder.shutdownNow();
    }
}
