package dev.jsam.serve;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Uploaded images by id, least recently used first out once their bytes pass a bound (the newest
 * entry is always kept, even alone over the bound). Ids are 128 random bits, URL-safe base64, so
 * one client cannot guess another's. Thread-safe by a single lock; nothing slow runs under it.
 */
final class EmbeddingCache {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long maxBytes;
    private final Map<String, CachedImage> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    EmbeddingCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    synchronized void put(CachedImage image) {
        CachedImage old = entries.put(image.id(), image);
        if (old != null) {
            bytes -= old.bytes();
        }
        bytes += image.bytes();
        Iterator<CachedImage> it = entries.values().iterator();
        while (bytes > maxBytes && entries.size() > 1) {
            bytes -= it.next().bytes();
            it.remove();
        }
    }

    /** The image, marked as recently used, or null when it was never uploaded or is forgotten. */
    synchronized CachedImage get(String id) {
        return entries.get(id);
    }

    synchronized int size() {
        return entries.size();
    }
}
