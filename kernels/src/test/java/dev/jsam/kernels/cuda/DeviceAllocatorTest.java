package dev.jsam.kernels.cuda;

import jcuda.driver.CUdeviceptr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The caching allocator on a fake device that counts driver allocations: blocks of dead owners
 * come back once the collection threshold is reached, live owners' blocks are never handed out
 * twice, and live memory above the threshold raises it instead of collecting on every call.
 */
class DeviceAllocatorTest {
    /** A device whose every allocation succeeds with a new pointer object, counted. */
    private static final class CountingDevice extends DryRunDevice {
        int allocations;
        int frees;

        @Override
        public CUdeviceptr tryAllocate(long bytes) {
            allocations++;
            return new CUdeviceptr();
        }

        @Override
        public void free(CUdeviceptr p) {
            frees++;
        }
    }

    @Test
    void deadOwnersBlocksAreReusedOnceTheThresholdIsReached() {
        CountingDevice device = new CountingDevice();
        long block = 4L << 20;
        DeviceAllocator allocator = new DeviceAllocator(device, 10 * block);
        for (int i = 0; i < 100; i++) {
            allocator.allocate(new Object(), block);
        }
        // 10 before the first collection; a collection whose dead owners the JVM enqueues late can cost a few more
        assertTrue(device.allocations <= 20, "driver allocations: " + device.allocations);
    }

    /**
     * The decoder after the encoder: the cache holds blocks of other sizes, and each prompt's dead
     * tensors are found only by the next collection, which then finds the size wanted. Collecting
     * on every miss would collect once per prompt; at most one collection per half threshold
     * allocated is 8 here.
     */
    @Test
    void aCacheOfOtherSizesDoesNotMakeEveryMissCollect() {
        CountingDevice device = new CountingDevice();
        long mb = 1L << 20;
        DeviceAllocator allocator = new DeviceAllocator(device, 10 * mb);
        for (int i = 0; i < 8; i++) {
            allocator.allocate(new Object(), mb);
        }
        for (int i = 0; i < 50 && allocator.cachedBytes() != 8 * mb; i++) {
            System.gc();
        }
        for (int i = 0; i < 21; i++) {
            allocator.allocate(new Object(), 2 * mb);
        }
        assertTrue(allocator.collections() <= 8, allocator.stats());
    }

    @Test
    void liveOwnersKeepTheirBlocks() {
        CountingDevice device = new CountingDevice();
        long block = 1L << 20;
        DeviceAllocator allocator = new DeviceAllocator(device, 4 * block);
        List<Object> owners = new ArrayList<>();
        List<CUdeviceptr> pointers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Object owner = new Object();
            owners.add(owner);
            CUdeviceptr p = allocator.allocate(owner, block);
            for (CUdeviceptr q : pointers) {
                assertNotSame(q, p);
            }
            pointers.add(p);
        }
        assertEquals(12, device.allocations);
        assertEquals(12, owners.size());
    }

    @Test
    void aDeadOwnersBlockIsHandedOutAgain() {
        CountingDevice device = new CountingDevice();
        DeviceAllocator allocator = new DeviceAllocator(device, 1L << 40);
        Object owner = new Object();
        CUdeviceptr p = allocator.allocate(owner, 1000);
        owner = null;
        List<Object> keep = new ArrayList<>();
        CUdeviceptr q = null;
        for (int i = 0; i < 50 && q != p; i++) {
            System.gc();
            Object o = new Object();
            keep.add(o);
            q = allocator.allocate(o, 1000);
        }
        assertSame(p, q);
        assertEquals(keep.size(), device.allocations);
    }

    @Test
    void trimReturnsTheCacheToTheDriver() {
        CountingDevice device = new CountingDevice();
        DeviceAllocator allocator = new DeviceAllocator(device, 1L << 40);
        for (int i = 0; i < 20; i++) {
            allocator.allocate(new Object(), 1L << 20);
        }
        for (int i = 0; i < 50 && allocator.cachedBytes() == 0; i++) {
            System.gc();
        }
        allocator.trim();
        assertTrue(device.frees > 0, "nothing returned: " + allocator.stats());
        assertEquals(0, allocator.cachedBytes(), allocator.stats());
    }

    /**
     * A scope's close frees its blocks explicitly: the owner is still reachable, no collection is
     * asked for, and the next allocation of the size gets the same block from the cache; a second
     * free of it (or a late phantom) changes nothing, and a block handed out again is not freed by
     * its old owner's free.
     */
    @Test
    void explicitFreeReturnsABlockAtOnceWithoutACollection() {
        CountingDevice device = new CountingDevice();
        DeviceAllocator allocator = new DeviceAllocator(device, 1L << 20); // a low threshold: any collection would show
        Object owner = new Object();
        List<CUdeviceptr> live = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CUdeviceptr p = allocator.allocate(owner, 256 << 10);
            allocator.free(p);
            live.add(p);
        }
        assertEquals(1, device.allocations, allocator.stats());
        assertEquals(0, allocator.collections(), allocator.stats());
        assertEquals(100, allocator.explicitFrees());
        assertEquals(256L << 10, allocator.cachedBytes());
        CUdeviceptr again = allocator.allocate(owner, 256 << 10);
        assertSame(live.get(0), again);
        allocator.free(live.get(0)); // the block's current owner frees it: back in the cache
        allocator.free(again);       // already back: nothing happens
        assertEquals(101, allocator.explicitFrees());
        assertEquals(256L << 10, allocator.cachedBytes());
        assertNotSame(null, owner); // the owner stayed reachable throughout
    }
}
