package dev.jsam.tensor.cuda;

import jcuda.driver.CUdeviceptr;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching device allocator: freed blocks go to a free list keyed by their rounded size and
 * are handed out again instead of calling cuMemAlloc (sizes round up to a power of two below
 * 1 MiB, to a multiple of 2 MiB above). Reuse is safe because every op runs on the one stream.
 * On out-of-memory it returns the cached blocks to the driver, asks the GC to collect dead
 * tensors, and retries once. Not a sub-allocator: each block is its own cuMemAlloc.
 */
final class DeviceAllocator {
    private static final long SMALL = 1L << 20;
    private static final long LARGE_STEP = 2L << 20;

    private final Device device;
    private final Map<Long, ArrayDeque<CUdeviceptr>> free = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long driverAllocations;
    private long reuses;

    DeviceAllocator(Device device) {
        this.device = device;
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

    /** A device block of at least bytes (its rounded size is {@link #roundUp(long)}). */
    synchronized CUdeviceptr allocate(long bytes) {
        long size = roundUp(bytes);
        ArrayDeque<CUdeviceptr> list = free.get(size);
        if (list != null && !list.isEmpty()) {
            bytesCached -= size;
            bytesInUse += size;
            reuses++;
            return list.pop();
        }
        CUdeviceptr p = device.tryAllocate(size);
        if (p == null) {
            reclaim();
            p = device.tryAllocate(size);
            if (p == null) {
                throw new IllegalStateException("device out of memory allocating " + size + " bytes on " + device.deviceName()
                        + " (" + bytesInUse + " bytes held by live tensors)");
            }
        }
        driverAllocations++;
        bytesInUse += size;
        return p;
    }

    /** Returns a block to the cache; called by the storage cleaner, never touches the driver. */
    synchronized void release(CUdeviceptr p, long bytes) {
        long size = roundUp(bytes);
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(p);
        bytesInUse -= size;
        bytesCached += size;
    }

    private void reclaim() {
        System.gc();
        try {
            wait(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trim();
    }

    /** Gives every cached block back to the driver (after the stream has drained). */
    synchronized void trim() {
        device.synchronize();
        for (ArrayDeque<CUdeviceptr> list : free.values()) {
            for (CUdeviceptr p : list) {
                device.free(p);
            }
        }
        free.clear();
        bytesCached = 0;
    }

    /** A one-line summary for logs: in use, cached, driver allocations, reuses. */
    synchronized String stats() {
        return "device memory: " + bytesInUse + " B in use, " + bytesCached + " B cached, " + driverAllocations
                + " cuMemAlloc, " + reuses + " reuses";
    }
}
