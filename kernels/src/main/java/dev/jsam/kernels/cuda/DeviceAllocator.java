package dev.jsam.kernels.cuda;

import jcuda.driver.CUdeviceptr;

import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A caching device allocator. Each block belongs to one owner (a {@link CudaStorage}); once the
 * owner is unreachable its block goes to a free list keyed by rounded size (a power of two below
 * 1 MiB, a multiple of 2 MiB above) and is handed out again instead of calling cuMemAlloc. Reuse
 * is safe because every op runs on the one stream. Dead owners are found through a reference
 * queue drained on the allocating thread, or at once when the owner's {@link dev.jsam.tensor.TensorScope}
 * closes ({@link #free}): scoped tensors need no collection at all. The Java heap rarely fills up while device memory
 * does (a tensor object is tiny, its block is not), so when a block is not in the cache and the
 * blocks held from the driver would pass collectAbove bytes, the allocator asks for a garbage
 * collection and takes back what died before it calls cuMemAlloc. Collections come at most once
 * per collectAbove / 2 bytes allocated, so neither live tensors above the threshold nor a cache
 * of other sizes (the encoder's, while the decoder runs) make every miss collect. On
 * out-of-memory it also returns the cached blocks to the driver and retries once. Not a
 * sub-allocator: each block is its own cuMemAlloc.
 */
final class DeviceAllocator {
    private static final long SMALL = 1L << 20;
    private static final long LARGE_STEP = 2L << 20;
    /** How long a collection waits for the first dead owner to be enqueued (the JVM does it right after the GC). */
    private static final long COLLECT_WAIT_MS = 50;

    private final Device device;
    private final Map<Long, ArrayDeque<CUdeviceptr>> free = new HashMap<>();
    private final ReferenceQueue<Object> dead = new ReferenceQueue<>();
    /** The blocks of live owners by pointer (keeps their phantom references reachable until enqueued). */
    private final Map<CUdeviceptr, Block> owned = new IdentityHashMap<>();
    private final long collectAbove;
    /** Bytes handed out since the last collection: collections come at most once per half of collectAbove. */
    private long allocatedSinceCollect;
    private long bytesInUse;
    private long bytesCached;
    private long driverAllocations;
    private long reuses;
    private long collections;
    private long explicitFrees;

    private static final class Block extends PhantomReference<Object> {
        final CUdeviceptr pointer;
        final long size;

        Block(Object owner, ReferenceQueue<Object> queue, CUdeviceptr pointer, long size) {
            super(owner, queue);
            this.pointer = pointer;
            this.size = size;
        }
    }

    DeviceAllocator(Device device, long collectAbove) {
        this.device = device;
        this.collectAbove = collectAbove;
    }

    static long roundUp(long bytes) {
        if (bytes <= 256) {
            return 256;
        }
        if (bytes <= SMALL) {
            return Long.highestOneBit(bytes - 1) << 1;
        }
        return (bytes + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
    }

    /** A device block of at least bytes (its rounded size is {@link #roundUp(long)}), returned to the cache once owner dies. */
    synchronized CUdeviceptr allocate(Object owner, long bytes) {
        long size = roundUp(bytes);
        drain();
        CUdeviceptr p = cached(size);
        if (p == null && bytesInUse + bytesCached + size > collectAbove && allocatedSinceCollect >= collectAbove / 2) {
            collect();
            p = cached(size);
        }
        if (p == null) {
            p = fromDriver(size);
        }
        bytesInUse += size;
        allocatedSinceCollect += size;
        owned.put(p, new Block(owner, dead, p, size));
        return p;
    }

    private CUdeviceptr cached(long size) {
        ArrayDeque<CUdeviceptr> list = free.get(size);
        if (list == null || list.isEmpty()) {
            return null;
        }
        bytesCached -= size;
        reuses++;
        return list.pop();
    }

    private CUdeviceptr fromDriver(long size) {
        CUdeviceptr p = device.tryAllocate(size);
        if (p == null) {
            collect();
            trim();
            p = device.tryAllocate(size);
            if (p == null) {
                throw new IllegalStateException("device out of memory allocating " + size + " bytes on " + device.deviceName()
                        + " (" + bytesInUse + " bytes held by live tensors)");
            }
        }
        driverAllocations++;
        return p;
    }

    /** Moves the blocks of owners found dead so far to the free lists. */
    private void drain() {
        for (Reference<?> r; (r = dead.poll()) != null; ) {
            release((Block) r);
        }
    }

    /**
     * Takes the block at p back into the cache now, its owner still reachable (a scope closed on
     * it): safe because every op, those still queued that read it included, runs on the one
     * stream, ahead of any later op that reuses the block. Does nothing for a block already back.
     */
    synchronized void free(CUdeviceptr p) {
        Block b = owned.get(p);
        if (b != null) {
            b.clear(); // never enqueued now
            release(b);
            explicitFrees++;
        }
    }

    private void release(Block b) {
        if (owned.get(b.pointer) == b) {
            owned.remove(b.pointer);
            free.computeIfAbsent(b.size, k -> new ArrayDeque<>()).push(b.pointer);
            bytesInUse -= b.size;
            bytesCached += b.size;
        }
    }

    /** A garbage collection, then the blocks of the owners it found dead (waiting briefly for them to be enqueued). */
    private void collect() {
        collections++;
        allocatedSinceCollect = 0;
        System.gc();
        try {
            Reference<?> first = dead.remove(COLLECT_WAIT_MS);
            if (first != null) {
                release((Block) first);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
    }

    /** Gives every cached block back to the driver (after the stream has drained). */
    synchronized void trim() {
        drain();
        device.synchronize();
        for (ArrayDeque<CUdeviceptr> list : free.values()) {
            for (CUdeviceptr p : list) {
                device.free(p);
            }
        }
        free.clear();
        bytesCached = 0;
    }

    /** Bytes in the cache (after taking back the blocks of owners found dead). */
    synchronized long cachedBytes() {
        drain();
        return bytesCached;
    }

    /** How many garbage collections the allocator has asked for. */
    synchronized long collections() {
        return collections;
    }

    /** How many blocks came back through {@link #free} (scopes) rather than the collector. */
    synchronized long explicitFrees() {
        return explicitFrees;
    }

    /** A one-line summary for logs: in use, cached, driver allocations, reuses, scope frees, collections asked for. */
    synchronized String stats() {
        drain();
        return "device memory: " + bytesInUse + " B in use, " + bytesCached + " B cached, " + driverAllocations
                + " cuMemAlloc, " + reuses + " reuses, " + explicitFrees + " freed by scopes, " + collections + " collections";
    }
}
