package dev.jsam.serve;

import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.image.ExifOrientation;

/**
 * What `sam serve` can be told: where to listen, how many bytes of embeddings and images to keep,
 * the largest upload and image accepted, how many encodes may wait in line, how long a client may
 * take to send one request and how many connections may be open at once, the parameters of
 * "segment everything" when a request names none, and whether uploads are turned upright by their
 * EXIF orientation (the page draws them the same way), and the heap it may use (cache and requests
 * in flight, {@link MemoryGate}). Validated here so that the server itself
 * never sees a nonsensical limit. Immutable.
 */
public record ServerOptions(String host, int port, long cacheBytes, long maxUploadBytes, long maxPixels,
                            int encodeQueue, int requestTimeoutSeconds, int maxConnections, AmgParams amgDefaults,
                            ExifOrientation orientation, long memoryBytes) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_MAX_CONNECTIONS = 256;

    public ServerOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (cacheBytes < 1 || maxUploadBytes < 1 || maxPixels < 1 || encodeQueue < 0 || amgDefaults == null
                || orientation == null) {
            throw new IllegalArgumentException("cache, upload and pixel limits must be positive");
        }
        if (requestTimeoutSeconds < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("the request timeout and the connection limit must be positive");
        }
        if (memoryBytes < 1) {
            throw new IllegalArgumentException("the memory budget must be positive");
        }
    }

    /**
     * Loopback on port 8080, 512 MiB of cache, 50 MiB uploads, 50 megapixels, 4 encodes waiting,
     * 30 s to send a request, 256 open connections, the reference's automatic mask generation
     * defaults, photos turned upright, and the JVM's maximum heap as the memory budget.
     */
    public static ServerOptions defaults() {
        return new ServerOptions(DEFAULT_HOST, DEFAULT_PORT, 512L << 20, 50L << 20, 50_000_000L, 4,
                DEFAULT_REQUEST_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS, AmgParams.defaults(), ExifOrientation.APPLY,
                Runtime.getRuntime().maxMemory());
    }

    public ServerOptions withAddress(String newHost, int newPort) {
        return new ServerOptions(newHost, newPort, cacheBytes, maxUploadBytes, maxPixels, encodeQueue,
                requestTimeoutSeconds, maxConnections, amgDefaults, orientation, memoryBytes);
    }

    public ServerOptions withLimits(long newCacheBytes, long newMaxUploadBytes, long newMaxPixels) {
        return new ServerOptions(host, port, newCacheBytes, newMaxUploadBytes, newMaxPixels, encodeQueue,
                requestTimeoutSeconds, maxConnections, amgDefaults, orientation, memoryBytes);
    }

    public ServerOptions withConnectionLimits(int newRequestTimeoutSeconds, int newMaxConnections) {
        return new ServerOptions(host, port, cacheBytes, maxUploadBytes, maxPixels, encodeQueue,
                newRequestTimeoutSeconds, newMaxConnections, amgDefaults, orientation, memoryBytes);
    }

    public ServerOptions withAmgDefaults(AmgParams params) {
        return new ServerOptions(host, port, cacheBytes, maxUploadBytes, maxPixels, encodeQueue,
                requestTimeoutSeconds, maxConnections, params, orientation, memoryBytes);
    }

    /** The heap the server may use: the cache, and the requests in flight by jsam's memory model. */
    public ServerOptions withMemory(long newMemoryBytes) {
        return new ServerOptions(host, port, cacheBytes, maxUploadBytes, maxPixels, encodeQueue,
                requestTimeoutSeconds, maxConnections, amgDefaults, orientation, newMemoryBytes);
    }

    public ServerOptions withOrientation(ExifOrientation newOrientation) {
        return new ServerOptions(host, port, cacheBytes, maxUploadBytes, maxPixels, encodeQueue,
                requestTimeoutSeconds, maxConnections, amgDefaults, newOrientation, memoryBytes);
    }
}
