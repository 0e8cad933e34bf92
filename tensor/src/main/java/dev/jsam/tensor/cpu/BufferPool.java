package dev.jsam.tensor.cpu;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU backend's released op buffers, kept by length for the next op that needs that many
 * floats or up to a fifth fewer: a model runs the same shapes layer after layer, so the arrays of a closed
 * {@link dev.jsam.tensor.TensorScope} (and the scratch of kernels) are reused instead of growing
 * the heap with new ones for the garbage collector to find later. Bounded: to take back an array
 * that would pass its byte limit it first drops arrays of the lengths used longest ago (left to
 * the collector), and lengths not asked for during the idle time are dropped at the next request
 * after it. The backend {@link #clear() clears} it whenever no call is running, so one call's
 * sizes (the encoder's) do not stay on the heap through the next (the decoder's).
 * Arrays under {@link #MIN_FLOATS} are not kept (the collector handles small garbage cheaply).
 * Thread-safe (one lock; a few operations per op).
 */
final class BufferPool {
    /** Arrays shorter than this (16 KB) are not pooled. */
    static final int MIN_FLOATS = 4096;

    private final long limitBytes;
    private final long idleNanos;
    private final TreeMap<Integer, Entry> free = new TreeMap<>();
    private long pooledBytes;
    private long allocatedBytes;
    private long reuses;
    private long dropped;
    private long lastSweep = System.nanoTime();

    /** The arrays of one length and when that length was last asked for or given back. */
    private static final class Entry {
        final ArrayDeque<float[]> arrays = new ArrayDeque<>();
        long lastUse;
    }

    BufferPool(long limitBytes, long idleNanos) {
        this.limitBytes = limitBytes;
        this.idleNanos = idleNanos;
    }

    /**
     * An array of at least n floats with the first n zero: a pooled one of exactly n, else the
     * shortest pooled one up to a quarter longer (the encoder's global blocks then run in its
     * windowed blocks' arrays: 9.4 M floats of qkv in 11.3 M), else a new one of n.
     */
    float[] take(int n) {
        float[] a = pooled(n);
        if (a == null) {
            return allocate(n);
        }
        Arrays.fill(a, 0, n, 0f);
        return a;
    }

    /**
     * An array of at least n floats, as {@link #take}, holding whatever its last user left in it
     * (new arrays are zero): for scratch its kernel writes before it reads, such as GEMM's packed panels.
     */
    float[] takeUncleared(int n) {
        float[] a = pooled(n);
        return a == null ? allocate(n) : a;
    }

    /** A new array, counted in {@link #allocatedBytes()} when it is of a pooled size. */
    private float[] allocate(int n) {
        if (n >= MIN_FLOATS) {
            synchronized (this) {
                allocatedBytes += 4L * n;
            }
        }
        return new float[n];
    }

    /** A pooled array of n to n + n / 4 floats, the shortest there is, or null. */
    private float[] pooled(int n) {
        float[] a = null;
        if (n >= MIN_FLOATS) {
            synchronized (this) {
                long now = System.nanoTime();
                sweep(now);
                Entry e = free.get(n);
                if (e == null || e.arrays.isEmpty()) {
                    e = null;
                    for (Map.Entry<Integer, Entry> c = free.higherEntry(n); c != null && c.getKey() <= n + n / 4;
                         c = free.higherEntry(c.getKey())) {
                        if (!c.getValue().arrays.isEmpty()) {
                            e = c.getValue();
                            break;
                        }
                    }
                }
                if (e != null) {
                    a = e.arrays.pop();
                    e.lastUse = now;
                    pooledBytes -= 4L * a.length;
                    reuses++;
                }
            }
        }
        return a;
    }

    /** Takes back an array no tensor or kernel uses any more. */
    void give(float[] a) {
        if (a.length < MIN_FLOATS) {
            return;
        }
        synchronized (this) {
            long now = System.nanoTime();
            sweep(now);
            long bytes = 4L * a.length;
            if (bytes > limitBytes) {
                dropped++;
                return;
            }
            while (pooledBytes + bytes > limitBytes) {
                evictLeastRecent();
            }
            Entry e = free.computeIfAbsent(a.length, k -> new Entry());
            e.arrays.push(a);
            e.lastUse = now;
            pooledBytes += 4L * a.length;
        }
    }

    /** Drops one array of the length asked for or given back longest ago. */
    private void evictLeastRecent() {
        Entry oldest = null;
        for (Entry e : free.values()) {
            if (!e.arrays.isEmpty() && (oldest == null || e.lastUse < oldest.lastUse)) {
                oldest = e;
            }
        }
        float[] gone = oldest.arrays.removeLast();
        pooledBytes -= 4L * gone.length;
        dropped++;
    }

    /** Drops the lengths not used for the idle time (looked at most once per second). */
    private void sweep(long now) {
        if (now - lastSweep < 1_000_000_000L) {
            return;
        }
        lastSweep = now;
        for (Iterator<Entry> it = free.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (now - e.lastUse > idleNanos) {
                for (float[] a : e.arrays) {
                    pooledBytes -= 4L * a.length;
                }
                it.remove();
            }
        }
    }

    /** Drops every pooled array. */
    synchronized void clear() {
        free.clear();
        pooledBytes = 0;
    }

    synchronized long pooledBytes() {
        return pooledBytes;
    }

    /** How many arrays were handed out again instead of allocated. */
    synchronized long reuses() {
        return reuses;
    }

    /** Bytes of new arrays of pooled sizes allocated because the pool had none of that length. */
    synchronized long allocatedBytes() {
        return allocatedBytes;
    }

    /** How many arrays were dropped to stay within the limit. */
    synchronized long dropped() {
        return dropped;
    }

    long limitBytes() {
        return limitBytes;
    }
}
