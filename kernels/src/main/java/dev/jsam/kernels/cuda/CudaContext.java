package dev.jsam.kernels.cuda;

import dev.jsam.kernels.KernelModule;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;

/**
 * One device seen through the CUDA driver API (JCuda): its primary context, the one stream every
 * op is queued on, and the kernels, loaded on first use from the committed PTX of
 * {@link KernelModule} that suits the card's compute capability (the driver JIT-compiles PTX for
 * the card). Needs only libcuda.so.1. Not thread-safe beyond making the context current on
 * whichever thread calls.
 */
final class CudaContext implements Device {
    /**
     * Dynamic shared memory one block may have on every supported card once its kernel opts in
     * (above 48 KB it must): 99 KB on sm_86 and sm_89, 163 KB on sm_80, 227 KB on sm_90.
     */
    static final int MAX_DYNAMIC_SHARED_BYTES = 99 * 1024;
    private static final int DEFAULT_DYNAMIC_SHARED_BYTES = 48 * 1024;

    /** Why the driver failed the first time (later attempts only see "Could not initialize class"). */
    private static String firstDriverFailure;

    private final int ordinal;
    private final CUdevice device;
    private final CUcontext context;
    private final CUstream stream;
    private final String deviceName;
    private final int multiprocessors;
    private final long totalMemory;
    private final int ccMajor;
    private final int ccMinor;
    private final Map<KernelModule, CUmodule> modules = new EnumMap<>(KernelModule.class);
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Map<String, List<String>> signatures = new HashMap<>();
    /** Non-null while launches are being timed. */
    private KernelProfile profile;
    /** Per kernel, the dynamic shared memory it has opted in to beyond the default 48 KB. */
    private final Map<CUfunction, Integer> sharedOptIn = new HashMap<>();

    private CudaContext(int ordinal, CUdevice device, CUcontext context, CUstream stream, String deviceName, int sms,
                        long totalMemory, int ccMajor, int ccMinor) {
        this.ordinal = ordinal;
        this.device = device;
        this.context = context;
        this.stream = stream;
        this.deviceName = deviceName;
        this.multiprocessors = sms;
        this.totalMemory = totalMemory;
        this.ccMajor = ccMajor;
        this.ccMinor = ccMinor;
    }

    /** Initialises the driver and retains device ordinal's primary context, or says exactly why not. */
    static CudaContext open(int ordinal) {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
        } catch (LinkageError | CudaException e) {
            synchronized (CudaContext.class) {
                if (firstDriverFailure == null) {
                    firstDriverFailure = summary(e);
                }
            }
            throw new CudaUnavailableException("CUDA driver unavailable: JCuda's driver natives (libJCudaDriver, which needs "
                    + "libcuda.so.1 from the NVIDIA driver) did not load or cuInit failed: " + firstDriverFailure, e);
        }
        int[] count = new int[1];
        JCudaDriver.cuDeviceGetCount(count);
        if (ordinal < 0 || ordinal >= count[0]) {
            throw new CudaUnavailableException("no CUDA device " + ordinal + ": the driver reports " + count[0] + " device(s)");
        }
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        byte[] name = new byte[256];
        JCudaDriver.cuDeviceGetName(name, name.length, device);
        int[] sms = new int[1];
        JCudaDriver.cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
        long[] bytes = new long[1];
        JCudaDriver.cuDeviceTotalMem(bytes, device);
        int[] major = new int[1];
        int[] minor = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
        String n = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "");
        try {
            KernelModule.GEMM.ptxResource(major[0], minor[0]);
        } catch (IllegalArgumentException e) {
            throw new CudaUnavailableException("CUDA device " + ordinal + " (" + n + "): " + e.getMessage(), e);
        }
        CUcontext context = new CUcontext();
        JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        CUstream stream = new CUstream();
        JCudaDriver.cuStreamCreate(stream, 0);
        return new CudaContext(ordinal, device, context, stream, n, sms[0], bytes[0], major[0], minor[0]);
    }

    /** The first line of a (JCuda, often many-line) error and any line naming a shared library that failed. */
    static String summary(Throwable e) {
        String msg = String.valueOf(e.getMessage());
        String[] lines = msg.split("\\R");
        StringBuilder sb = new StringBuilder(lines[0].trim());
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].contains("cannot open shared object") || lines[i].contains("undefined symbol")) {
                sb.append("; ").append(lines[i].trim());
                break;
            }
        }
        return sb.toString();
    }

    CUstream stream() {
        return stream;
    }

    @Override
    public String deviceName() {
        return deviceName;
    }

    @Override
    public int ordinal() {
        return ordinal;
    }

    @Override
    public int multiprocessors() {
        return multiprocessors;
    }

    @Override
    public long totalMemory() {
        return totalMemory;
    }

    /** The device's compute capability as "major.minor". */
    String computeCapability() {
        return ccMajor + "." + ccMinor;
    }

    /** Makes the context current on the calling thread (cheap; done before every driver call). */
    void makeCurrent() {
        cuCtxSetCurrent(context);
    }

    /** The kernel with this entry point, loading its module's PTX on first use. */
    CUfunction function(String entryPoint) {
        CUfunction f = functions.get(entryPoint);
        if (f == null) {
            KernelModule m = KernelModule.of(entryPoint);
            CUmodule module = modules.get(m);
            if (module == null) {
                module = new CUmodule();
                String ptx = m.ptx(ccMajor, ccMinor);
                makeCurrent();
                JCudaDriver.cuModuleLoadData(module, ptx);
                modules.put(m, module);
                signatures.putAll(PtxSignature.parse(ptx));
            }
            f = new CUfunction();
            JCudaDriver.cuModuleGetFunction(f, module, entryPoint);
            functions.put(entryPoint, f);
        }
        return f;
    }

    @Override
    public CUdeviceptr tryAllocate(long bytes) {
        makeCurrent();
        CUdeviceptr p = new CUdeviceptr();
        try {
            JCudaDriver.cuMemAlloc(p, bytes);
            return p;
        } catch (CudaException e) {
            if (e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void free(CUdeviceptr p) {
        makeCurrent();
        JCudaDriver.cuMemFree(p);
    }

    @Override
    public void zeroAsync(CUdeviceptr p, long bytes) {
        makeCurrent();
        JCudaDriver.cuMemsetD8Async(p, (byte) 0, bytes, stream);
    }

    @Override
    public void fillAsync(CUdeviceptr p, int pattern, int elementBytes, long count) {
        makeCurrent();
        switch (elementBytes) {
            case 1 -> JCudaDriver.cuMemsetD8Async(p, (byte) pattern, count, stream);
            case 2 -> JCudaDriver.cuMemsetD16Async(p, (short) pattern, count, stream);
            case 4 -> JCudaDriver.cuMemsetD32Async(p, pattern, count, stream);
            default -> throw new IllegalArgumentException("fill of " + elementBytes + "-byte elements");
        }
    }

    @Override
    public void copyToDevice(CUdeviceptr dst, ByteBuffer src, long bytes) {
        makeCurrent();
        JCudaDriver.cuMemcpyHtoDAsync(dst, Pointer.to(src), bytes, stream);
        JCudaDriver.cuStreamSynchronize(stream);
    }

    @Override
    public void copyToHost(ByteBuffer dst, CUdeviceptr src, long bytes) {
        makeCurrent();
        JCudaDriver.cuMemcpyDtoHAsync(Pointer.to(dst), src, bytes, stream);
        JCudaDriver.cuStreamSynchronize(stream);
    }

    /** Queues a catalogue kernel on the stream with a 1-D block, after checking args against its PTX signature. */
    @Override
    public void launch(String entryPoint, int gridX, int gridY, int gridZ, int block, int sharedBytes, KernelArgs args) {
        CUfunction f = function(entryPoint);
        List<String> want = signatures.get(entryPoint);
        if (!args.tags().equals(want)) {
            throw new IllegalStateException("kernel " + entryPoint + " takes " + want + " but was launched with " + args.tags());
        }
        launch(entryPoint, f, gridX, gridY, gridZ, block, 1, sharedBytes, args);
    }

    /** Queues any loaded kernel (the kernel ladder's rungs too) on the stream with a 2-D block. */
    void launch(CUfunction f, int gridX, int gridY, int gridZ, int blockX, int blockY, int sharedBytes, KernelArgs args) {
        launch("(ladder rung)", f, gridX, gridY, gridZ, blockX, blockY, sharedBytes, args);
    }

    private void launch(String name, CUfunction f, int gridX, int gridY, int gridZ, int blockX, int blockY, int sharedBytes,
                        KernelArgs args) {
        makeCurrent();
        if (sharedBytes > DEFAULT_DYNAMIC_SHARED_BYTES && sharedOptIn.getOrDefault(f, 0) < sharedBytes) {
            JCudaDriver.cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, sharedBytes);
            sharedOptIn.put(f, sharedBytes);
        }
        Runnable queue = () -> cuLaunchKernel(f, gridX, gridY, gridZ, blockX, blockY, 1, sharedBytes, stream, args.pointer(), null);
        if (profile == null) {
            queue.run();
        } else {
            profile.around(name, queue);
        }
    }

    @Override
    public void startKernelProfile() {
        profile = new KernelProfile(stream);
    }

    @Override
    public String stopKernelProfile() {
        if (profile == null) {
            throw new IllegalStateException("no kernel profile was started");
        }
        makeCurrent();
        String report = profile.report();
        profile = null;
        return report;
    }

    /** A 1-D grid for a grid-stride kernel over n elements: enough blocks to fill the card, no more. */
    @Override
    public int gridFor(long n, int block) {
        long blocks = (n + block - 1) / block;
        return (int) Math.max(1, Math.min(blocks, (long) multiprocessors * 32));
    }

    /** Waits for everything queued on the stream. */
    @Override
    public void synchronize() {
        makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
    }

    @Override
    public void close() {
        makeCurrent();
        JCudaDriver.cuStreamSynchronize(stream);
        for (CUmodule m : modules.values()) {
            JCudaDriver.cuModuleUnload(m);
        }
        modules.clear();
        functions.clear();
        sharedOptIn.clear();
        signatures.clear();
        JCudaDriver.cuStreamDestroy(stream);
        JCudaDriver.cuDevicePrimaryCtxRelease(device);
    }
}
