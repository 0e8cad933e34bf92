package dev.jsam.kernels.cuda;

import jcuda.driver.CUdeviceptr;

import java.nio.ByteBuffer;

/**
 * What the CUDA backend needs from a device: raw allocation, queued zeroing, transfers and
 * kernel launches on one stream. {@link CudaContext} implements it with the driver API; tests
 * implement it without a GPU to run every op's host-side logic and check each launch.
 */
interface Device extends AutoCloseable {
    String deviceName();

    int ordinal();

    /** The device's streaming multiprocessors. */
    int multiprocessors();

    /** The device's memory in bytes. */
    long totalMemory();

    /** A new block of exactly bytes, or null when the device is out of memory. */
    CUdeviceptr tryAllocate(long bytes);

    void free(CUdeviceptr p);

    /** Queues zero-filling of bytes at p. */
    void zeroAsync(CUdeviceptr p, long bytes);

    /**
     * Queues filling count elements of elementBytes (1, 2 or 4) at p with the low elementBytes
     * bytes of pattern (little-endian), without waiting.
     */
    void fillAsync(CUdeviceptr p, int pattern, int elementBytes, long count);

    /** Copies bytes from a direct buffer to the device and waits for it. */
    void copyToDevice(CUdeviceptr dst, ByteBuffer src, long bytes);

    /** Copies bytes from the device into a direct buffer once queued work is done, and waits for it. */
    void copyToHost(ByteBuffer dst, CUdeviceptr src, long bytes);

    /** Queues a catalogue kernel with a 1-D block; args must match the kernel's PTX parameters. */
    void launch(String entryPoint, int gridX, int gridY, int gridZ, int block, int sharedBytes, KernelArgs args);

    /** A 1-D grid for a grid-stride kernel over n elements. */
    int gridFor(long n, int block);

    /** Starts timing each kernel launch (until {@link #stopKernelProfile()}). */
    void startKernelProfile();

    /** Stops timing launches and returns one line per kernel: launches, total GPU milliseconds, share. */
    String stopKernelProfile();

    /** Waits for everything queued. */
    void synchronize();

    @Override
    void close();
}
