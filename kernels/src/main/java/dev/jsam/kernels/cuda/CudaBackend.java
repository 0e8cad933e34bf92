package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.ReduceOp;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;
import dev.jsam.tensor.UnaryOp;
import jcuda.driver.CUdeviceptr;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;

/**
 * The CUDA backend: device-resident tensors from a caching allocator, every op one or a few
 * launches of the committed PTX on a single stream, host transfers only in copyFromHost, wrapHost
 * and copyToHost; GEMMs per {@link GemmEngine}. {@link #create(int)} and {@link #forDevice(String)}
 * throw {@link CudaUnavailableException} without a usable GPU and never fall back to the CPU.
 * Verified on an H100 and an H200 (kernels/README.md). Use it from one thread at a time: its
 * kernel catalogue and the cuBLAS handle are not guarded for concurrent calls.
 */
public final class CudaBackend implements Backend {
    private final Device device;
    private final DeviceAllocator allocator;
    private final CudaCopies copies;
    private final CudaCompute compute;
    private final CudaLinalg linalg;
    private final GemmEngine engine;

    /** A backend on any Device; cublas is non-null exactly when engine is CUBLAS. */
    CudaBackend(Device device, GemmEngine engine, CublasGemm cublas) {
        if ((engine == GemmEngine.CUBLAS) != (cublas != null)) {
            throw new IllegalArgumentException("GEMM engine " + engine + " with cuBLAS handle " + cublas);
        }
        this.device = device;
        this.engine = engine;
        this.allocator = new DeviceAllocator(device, device.totalMemory() / 2);
        this.copies = new CudaCopies(this);
        this.compute = new CudaCompute(this);
        this.linalg = new CudaLinalg(this, engine, cublas);
    }

    /** The backend on device ordinal with our own GEMM kernel (needs only libcuda.so.1). */
    public static CudaBackend create(int deviceOrdinal) {
        return create(deviceOrdinal, GemmEngine.KERNEL);
    }

    /** The backend on device ordinal with the chosen GEMM engine; throws CudaUnavailableException naming what is missing. */
    public static CudaBackend create(int deviceOrdinal, GemmEngine engine) {
        CudaContext context = CudaContext.open(deviceOrdinal);
        try {
            return new CudaBackend(context, engine, engine == GemmEngine.CUBLAS ? CublasGemm.open(context) : null);
        } catch (RuntimeException | Error e) {
            context.close();
            throw e;
        }
    }

    /**
     * The backend a --device value names: "cuda" or "cuda:N", optionally followed by ":tc"
     * (3xTF32), ":bf16", ":tf32" or ":cublas" for the GEMM engine.
     * IllegalArgumentException for a malformed value, CudaUnavailableException when the GPU
     * (or cuBLAS) cannot be used.
     */
    public static CudaBackend forDevice(String spec) {
        CudaDeviceSpec d = CudaDeviceSpec.parse(spec);
        return create(d.ordinal(), d.engine());
    }

    /** Null when device 0 can be opened, else the reason it cannot (for tests that skip without a GPU). */
    public static String unavailableReason() {
        try {
            create(0).close();
            return null;
        } catch (CudaUnavailableException | LinkageError e) {
            return e.getMessage();
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** No: the kernel catalogue and the cuBLAS handle are not guarded; use it from one thread at a time. */
    @Override
    public boolean concurrentUse() {
        return false;
    }

    /** The device's name as the driver reports it, with the GEMM engine. */
    public String describe() {
        return device.deviceName() + " (device " + device.ordinal() + ", GEMM: " + engine + ")";
    }

    /** Allocator statistics, for logs and benchmarks. */
    public String memoryStats() {
        return allocator.stats();
    }

    /**
     * Starts timing every kernel this backend launches, with CUDA events on its stream (no
     * synchronisation in between); {@link #stopKernelProfile()} returns the table. For finding
     * where the time of a model run goes; cuBLAS calls are not included.
     */
    public void startKernelProfile() {
        device.startKernelProfile();
    }

    /** Waits for the launches since {@link #startKernelProfile()} and returns launches and GPU milliseconds per kernel. */
    public String stopKernelProfile() {
        return device.stopKernelProfile();
    }

    /**
     * Waits until every queued op has finished (for timing; copyToHost does it itself), then
     * throws for an out-of-range index an indexSelect met since the last read-back.
     */
    public void synchronize() {
        device.synchronize();
        copies.checkIndexFaults();
    }

    // ---- helpers for the op classes ------------------------------------------------------

    Device device() {
        return device;
    }

    /** A new contiguous tensor with uninitialised device memory. */
    Tensor allocate(DType dtype, int... shape) {
        long bytes = Layout.numel(shape) * dtype.byteSize();
        CudaStorage s = new CudaStorage(this, allocator, bytes);
        TensorScope.adopt(s); // inside a scope: back to the block cache when it closes, no GC needed
        return new Tensor(s, dtype, Layout.contiguous(shape));
    }

    /** The device address of the tensor's first element (its layout offset applied). */
    CUdeviceptr pointer(Tensor t) {
        if (!(t.storage() instanceof CudaStorage s) || s.backend() != this) {
            throw new IllegalArgumentException(t + " does not belong to this CUDA backend; move it with tensor.to(backend)");
        }
        return s.pointer().withByteOffset(t.layout().offset() * t.dtype().byteSize());
    }

    static void requireF32(Tensor t) {
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException("compute ops take F32 tensors, got " + t + " (convert with to(DType.F32))");
        }
    }

    /** Keeps inputs reachable until their kernels are queued, so their blocks cannot be recycled early. */
    static Tensor fence(Tensor result, Object... inputs) {
        Reference.reachabilityFence(inputs);
        return result;
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Tensor zeros(DType dtype, int... shape) {
        return copies.zeros(dtype, shape);
    }

    @Override
    public Tensor copyFromHost(DType dtype, MemorySegment bytes, int... shape) {
        return copies.fromHost(dtype, bytes, shape);
    }

    @Override
    public Tensor wrapHost(DType dtype, MemorySegment bytes, int... shape) {
        if (bytes.byteSize() != Layout.numel(shape) * dtype.byteSize()) {
            throw new IllegalArgumentException(bytes.byteSize() + " bytes for " + dtype + " " + Arrays.toString(shape));
        }
        return copies.fromHost(dtype, bytes, shape);
    }

    @Override
    public void copyToHost(Tensor src, MemorySegment dst) {
        copies.toHost(src, dst);
    }

    @Override
    public Tensor contiguous(Tensor src) {
        return src.isContiguous() ? src : copies.copy(src);
    }

    /**
     * A contiguous tensor whose first element is 16-byte aligned, for kernels that read float4
     * (a contiguous view with an offset that is not a multiple of 4 elements is copied).
     */
    Tensor contiguousAligned(Tensor src) {
        Tensor c = contiguous(src);
        return c.layout().offset() * c.dtype().byteSize() % 16 == 0 ? c : copies.copy(c);
    }

    @Override
    public Tensor cast(Tensor src, DType to) {
        return src.dtype() == to ? contiguous(src) : copies.cast(src, to);
    }

    // ---- elementwise, reductions, norms ----------------------------------------------------

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return compute.unary(op, x);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return compute.binary(op, a, b);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, float s) {
        return compute.binary(op, a, s);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim) {
        return compute.reduce(op, x, dim, keepDim);
    }

    @Override
    public Tensor argmax(Tensor x, int dim, boolean keepDim) {
        return compute.argmax(x, dim, keepDim);
    }

    @Override
    public Tensor softmax(Tensor x) {
        return compute.softmax(x);
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        return compute.layerNorm(x, weight, bias, eps);
    }

    @Override
    public Tensor layerNorm2d(Tensor x, Tensor weight, Tensor bias, float eps) {
        return compute.layerNorm2d(x, weight, bias, eps);
    }

    // ---- linear algebra ------------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return linalg.matmul(a, b);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation activation) {
        return linalg.linear(x, weight, bias, activation);
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return linalg.conv2d(x, weight, bias, strideH, strideW, padH, padW);
    }

    @Override
    public Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW) {
        return linalg.convTranspose2d(x, weight, bias, strideH, strideW);
    }

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW) {
        return linalg.attention(q, k, v, scale, relH, relW);
    }

    /** Fused attention on a chosen kernel: tiled (head dim divisible by 4) or the row kernel (for the kernel ladder). */
    Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW, boolean tiled) {
        return linalg.attention(q, k, v, scale, relH, relW, tiled);
    }

    // ---- data movement and resampling ----------------------------------------------------

    @Override
    public Tensor pad(Tensor x, int[] pads, float value) {
        return copies.pad(x, pads, value);
    }

    @Override
    public Tensor concat(List<Tensor> parts, int dim) {
        return copies.concat(parts, dim);
    }

    @Override
    public Tensor repeatInterleave(Tensor x, int repeats, int dim) {
        return copies.repeatInterleave(x, repeats, dim);
    }

    @Override
    public Tensor indexSelect(Tensor x, int dim, Tensor index) {
        return copies.indexSelect(x, dim, index);
    }

    @Override
    public Tensor interpolateBilinear(Tensor x, int outH, int outW) {
        return compute.bilinear(x, outH, outW);
    }

    @Override
    public Tensor interpolateLinear(Tensor x, int outL) {
        return compute.linearResize(x, outL);
    }

    @Override
    public void close() {
        linalg.close();
        allocator.trim();
        copies.close();
        device.close();
    }
}
