package dev.jsam.serve;

import dev.jsam.sam.ImageEmbedding;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding cache's byte bound and least-recently-used order, and the shape of its ids. */
class ServeCacheTest {

    private static final int C = ServeFixture.MODEL.config().promptEncoder().embedDim();
    private static final int G = ServeFixture.MODEL.config().promptEncoder().imageEmbeddingSize();

    private static CachedImage entry(String id) {
        Tensor features = Tensor.of(ServeFixture.BACKEND, new float[C * G * G], 1, C, G, G);
        SamPredictor p = new SamPredictor(ServeFixture.MODEL);
        p.setEmbedding(new ImageEmbedding(features, 10, 10, 10, 10, ServeFixture.MODEL.id()));
        return CachedImage.of(id, RgbImage.of(10, 10, new byte[300]), p, 1);
    }

    @Test
    void anEntryCountsItsPixelsFeaturesAndDecoderImageSide() {
        long one = entry("x").bytes();
        long features = 4L * C * G * G;
        assertTrue(one > 300 + features, "the decoder's image side is counted: " + one);
        assertEquals(one, entry("y").bytes());
    }

    @Test
    void leastRecentlyUsedGoesFirst() {
        long one = entry("x").bytes();
        EmbeddingCache cache = new EmbeddingCache(3 * one);
        cache.put(entry("a"));
        cache.put(entry("b"));
        cache.put(entry("c"));
        assertNotNull(cache.get("a"));
        cache.put(entry("d"));
        assertNull(cache.get("b"), "b was the least recently used");
        assertNotNull(cache.get("a"));
        assertNotNull(cache.get("c"));
        assertNotNull(cache.get("d"));
        assertEquals(3, cache.size());
    }

    @Test
    void theNewestStaysEvenWhenOverTheBound() {
        EmbeddingCache cache = new EmbeddingCache(10);
        cache.put(entry("a"));
        CachedImage b = entry("b");
        cache.put(b);
        assertNull(cache.get("a"));
        assertSame(b, cache.get("b"));
        assertEquals(1, cache.size());
    }

    @Test
    void idsAreRandomAndUrlSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = EmbeddingCache.newId();
            assertTrue(id.matches("[A-Za-z0-9_-]{22}"), id);
            seen.add(id);
        }
        assertEquals(1000, seen.size());
    }
}
