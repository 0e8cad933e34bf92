package dev.jsam.kernels.cuda;

import dev.jsam.kernels.KernelModule;
import jcuda.driver.CUdeviceptr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Device that runs nothing: allocations are fake, transfers do nothing (reads return zeros),
 * and each launch is checked against its kernel's PTX parameter list and the launch limits of
 * every supported card (sm_80 on), then recorded, as are fills (as "fill_bN") and the calls
 * that wait for the device (transfers, synchronize). Lets the backend's host-side logic run
 * without a GPU. Results are meaningless; only shapes, launches, waits and exceptions are.
 */
class DryRunDevice implements Device {
    private static final int MAX_DYNAMIC_SHARED = CudaContext.MAX_DYNAMIC_SHARED_BYTES;

    private final Map<String, List<String>> signatures = new HashMap<>();
    final List<String> launches = new ArrayList<>();
    /** Calls that wait for the device: transfers both ways and synchronize. */
    int waits;

    DryRunDevice() {
        for (KernelModule m : KernelModule.values()) {
            signatures.putAll(PtxSignature.parse(m.ptx()));
        }
    }

    @Override
    public String deviceName() {
        return "dry run";
    }

    @Override
    public int ordinal() {
        return 0;
    }

    @Override
    public int multiprocessors() {
        return 132;
    }

    @Override
    public long totalMemory() {
        return 80L << 30;
    }

    @Override
    public CUdeviceptr tryAllocate(long bytes) {
        return new CUdeviceptr();
    }

    @Override
    public void free(CUdeviceptr p) {
    }

    @Override
    public void zeroAsync(CUdeviceptr p, long bytes) {
    }

    @Override
    public void fillAsync(CUdeviceptr p, int pattern, int elementBytes, long count) {
        if (elementBytes != 1 && elementBytes != 2 && elementBytes != 4 || count < 1) {
            throw new IllegalArgumentException("fill of " + count + " elements of " + elementBytes + " bytes");
        }
        launches.add("fill_b" + elementBytes);
    }

    @Override
    public void copyToDevice(CUdeviceptr dst, ByteBuffer src, long bytes) {
        waits++;
        if (src.capacity() < bytes) {
            throw new IllegalArgumentException("copy of " + bytes + " bytes from a buffer of " + src.capacity());
        }
    }

    @Override
    public void copyToHost(ByteBuffer dst, CUdeviceptr src, long bytes) {
        waits++;
        if (dst.capacity() < bytes) {
            throw new IllegalArgumentException("copy of " + bytes + " bytes into a buffer of " + dst.capacity());
        }
        for (int i = 0; i < bytes; i++) {
            dst.put(i, (byte) 0);
        }
    }

    @Override
    public void launch(String entryPoint, int gridX, int gridY, int gridZ, int block, int sharedBytes, KernelArgs args) {
        List<String> want = signatures.get(entryPoint);
        if (want == null || !want.equals(args.tags())) {
            throw new IllegalStateException("kernel " + entryPoint + " takes " + want + " but was launched with " + args.tags());
        }
        if (gridX < 1 || gridY < 1 || gridY > 65535 || gridZ < 1 || gridZ > 65535 || block < 32 || block > 1024
                || block % 32 != 0 || sharedBytes < 0 || sharedBytes > MAX_DYNAMIC_SHARED) {
            throw new IllegalStateException(entryPoint + " launched with grid " + gridX + "x" + gridY + "x" + gridZ + ", block "
                    + block + ", shared " + sharedBytes);
        }
        launches.add(entryPoint);
    }

    @Override
    public void startKernelProfile() {
        launches.clear();
    }

    /** The launches since the start, one per line (nothing runs, so there are no times). */
    @Override
    public String stopKernelProfile() {
        return String.join("\n", launches);
    }

    @Override
    public int gridFor(long n, int block) {
        return (int) Math.max(1, Math.min((n + block - 1) / block, multiprocessors() * 32L));
    }

    @Override
    public void synchronize() {
        waits++;
    }

    @Override
    public void close() {
    }
}
