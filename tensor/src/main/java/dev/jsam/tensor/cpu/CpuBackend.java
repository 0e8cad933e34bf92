package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.DimSplit;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.ReduceOp;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.TensorScope;
import dev.jsam.tensor.UnaryOp;
import dev.jsam.tensor.cpu.ref.RefElementwise;
import dev.jsam.tensor.cpu.ref.RefLayout;
import dev.jsam.tensor.cpu.ref.RefLinalg;
import dev.jsam.tensor.cpu.ref.RefResample;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU backend. {@link #reference()} runs every op through the scalar oracle (cpu.ref);
 * {@link #create(int)} runs the fast kernels (Vector API, blocked GEMM, fused attention) on a
 * fixed number of threads, falling back to the oracle for ops that have no fast version yet.
 * Results live in heap arrays viewed as MemorySegments; inputs may be any segment (mapped too).
 * Memory: results created inside a {@link dev.jsam.tensor.TensorScope} of this backend give their
 * arrays back to its {@link BufferPool} when the scope closes (and fail loudly if used after),
 * and kernels draw their results and large scratch from that pool; results created outside any
 * scope are garbage-collected. The pool holds at most an eighth of the maximum heap, and 384 MB,
 * and is emptied whenever no call (outermost scope, see {@link #scope()}) is running.
 * Thread-safe: ops may be called from several threads at once ({@link #concurrentUse()} is true)
 * and share its threads; close it only when no op is running.
 */
public final class CpuBackend implements Backend {
    private final boolean reference;
    private final Parallel parallel;
    private final BufferPool pool;
    private final AtomicInteger runningCalls = new AtomicInteger();

    private CpuBackend(boolean reference, int threads) {
        this.reference = reference;
        this.parallel = new Parallel(threads);
        this.pool = new BufferPool(Math.min(Runtime.getRuntime().maxMemory() / 8, POOL_MAX_BYTES), POOL_IDLE_NANOS);
    }

    /** The most the pool holds: the working set of vit_b's encoder blocks (windowed and global) at 1024 x 1024. */
    private static final long POOL_MAX_BYTES = 384L << 20;
    /** Pooled lengths not asked for in this long are dropped. */
    private static final long POOL_IDLE_NANOS = 30_000_000_000L;

    /** The scalar reference backend, single-threaded: the oracle the fast kernels are tested against. */
    public static CpuBackend reference() {
        return new CpuBackend(true, 1);
    }

    /**
     * The fast backend on the given number of threads.
     *
     * @throws IllegalStateException at once, naming the flag, when the JVM runs without the
     *                               Vector API module (on the class path it needs
     *                               {@code --add-modules jdk.incubator.vector}; as a JPMS module
     *                               jsam requires it itself)
     */
    public static CpuBackend create(int threads) {
        requireVectorApi();
        return new CpuBackend(false, threads);
    }

    /** Fails with one line naming the flag when jdk.incubator.vector is not in the JVM's module graph. */
    static void requireVectorApi() {
        ModuleLayer layer = CpuBackend.class.getModule().getLayer(); // null on the class path
        if ((layer == null ? ModuleLayer.boot() : layer).findModule("jdk.incubator.vector").isEmpty()) {
            throw new IllegalStateException("jsam's CPU backend needs the Vector API: start java with"
                    + " --add-modules jdk.incubator.vector (or put jsam on the module path, where it requires it),"
                    + " or use CpuBackend.reference(), the slow scalar backend that needs no flag");
        }
    }

    /** The fast backend on all available processors. */
    public static CpuBackend create() {
        return create(Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String name() {
        return reference ? "cpu-reference" : "cpu";
    }

    public boolean isReference() {
        return reference;
    }

    public Parallel parallel() {
        return parallel;
    }

    // ---- memory lifetimes ------------------------------------------------------------------

    /**
     * A scope of this backend. The outermost one on a thread marks a call (the predictor opens
     * one per call): while any call runs, released buffers are pooled for the next op; when the
     * last running call's outermost scope closes, the pool is emptied, so one call's sizes
     * (the encoder's) do not stay on the heap through the next (the decoder's), and a process
     * between calls holds only its results.
     */
    @Override
    public TensorScope scope() {
        if (TensorScope.isOpen(this)) {
            return TensorScope.open(this);
        }
        runningCalls.incrementAndGet();
        return TensorScope.open(this, this::callEnded);
    }

    private void callEnded() {
        if (runningCalls.decrementAndGet() == 0) {
            pool.clear();
        }
    }

    BufferPool pool() {
        return pool;
    }

    /** Bytes of released buffers held for reuse. */
    public long pooledBytes() {
        return pool.pooledBytes();
    }

    /** How many buffers ops took from the pool instead of allocating. */
    public long poolReuses() {
        return pool.reuses();
    }

    /** Bytes of buffers of pooled sizes that ops allocated because the pool had none of that size. */
    public long poolAllocatedBytes() {
        return pool.allocatedBytes();
    }

    /** How many released buffers the pool dropped because it was at its limit. */
    public long poolDropped() {
        return pool.dropped();
    }

    /** The pool's limit in bytes. */
    public long poolLimitBytes() {
        return pool.limitBytes();
    }

    /** Drops every pooled buffer (for the garbage collector), as when the pool has been idle. */
    public void trimPool() {
        pool.clear();
    }

    /**
     * An array of at least n floats (at most n + n / 4), the first n zero, for an op's result or
     * scratch: from the pool when it has one, else new.
     */
    float[] newFloats(int n) {
        return pool.take(n);
    }

    /** Gives a kernel's scratch array back to the pool once the op no longer reads it. */
    void recycle(float[] scratch) {
        pool.give(scratch);
    }

    // ---- helpers for kernels ---------------------------------------------------------------

    /**
     * The host memory behind a tensor of this backend.
     *
     * @throws IllegalStateException if the tensor's scope has closed
     */
    public MemorySegment segment(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s) || s.backend() != this) {
            throw new IllegalArgumentException(t + " does not belong to backend " + name()
                    + "; move it with tensor.to(backend)");
        }
        s.requireLive();
        return s.segment();
    }

    /**
     * A new tensor over a float array, row-major in the given shape. The array becomes the
     * backend's: inside a {@link TensorScope} of this backend the tensor belongs to the scope and
     * the array is reused once it closes, so the caller must not keep or write it.
     */
    public Tensor wrap(float[] data, int... shape) {
        if (Layout.numel(shape) != data.length) {
            throw new IllegalArgumentException(data.length + " floats for shape " + Arrays.toString(shape));
        }
        return result(data, shape);
    }

    /**
     * A kernel's result over an array from {@link #newFloats}, which may be longer than the shape
     * needs (the pool hands out one up to a quarter longer): the tensor sees the first floats.
     */
    Tensor result(float[] data, int... shape) {
        long n = Layout.numel(shape);
        if (n > data.length) {
            throw new IllegalArgumentException(data.length + " floats for shape " + Arrays.toString(shape));
        }
        return owned(data, MemorySegment.ofArray(data).asSlice(0, 4 * n), DType.F32, shape);
    }

    /** A tensor over an array the backend owns (a segment of it for other dtypes), adopted by the open scope. */
    private Tensor owned(float[] array, MemorySegment seg, DType dtype, int... shape) {
        CpuStorage s = new CpuStorage(this, seg, array);
        TensorScope.adopt(s);
        return new Tensor(s, dtype, Layout.contiguous(shape));
    }

    /** The elements of an F32 tensor of this backend as a new row-major float array. */
    public float[] floats(Tensor t) {
        requireF32(t);
        float[] out = new float[Math.toIntExact(t.numel())];
        HostData.gather(segment(t), t.layout(), 4, MemorySegment.ofArray(out));
        return out;
    }

    static void requireF32(Tensor t) {
        if (t.dtype() != DType.F32) {
            throw new IllegalArgumentException("compute ops take F32 tensors, got " + t + " (convert with to(DType.F32))");
        }
    }

    /** A contiguous copy, even of a contiguous tensor. */
    Tensor copyOf(Tensor src) {
        Tensor out = zeros(src.dtype(), src.shape());
        HostData.gather(segment(src), src.layout(), src.dtype().byteSize(), segment(out));
        return out;
    }

    /** Writes the elements of src into the (freshly allocated, possibly strided) view dst. */
    void copyInto(Tensor src, Tensor dst) {
        Tensor c = contiguous(src);
        int elem = src.dtype().byteSize();
        MemorySegment from = segment(c).asSlice(c.layout().offset() * elem, c.numel() * elem);
        HostData.scatter(from, segment(dst), dst.layout(), elem);
    }

    Tensor full(DType dtype, float value, int... shape) {
        Tensor out = zeros(dtype, shape);
        if (value != 0) {
            MemorySegment s = segment(out);
            for (long i = 0; i < out.numel(); i++) {
                HostData.put(dtype, s, i, value);
            }
        }
        return out;
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    public Tensor zeros(DType dtype, int... shape) {
        long bytes = Layout.numel(shape) * dtype.byteSize();
        float[] a = newFloats(Math.toIntExact((bytes + 3) / 4)); // every dtype in float arrays, so one pool serves all
        return owned(a, MemorySegment.ofArray(a).asSlice(0, bytes), dtype, shape);
    }

    @Override
    public Tensor copyFromHost(DType dtype, MemorySegment bytes, int... shape) {
        Tensor out = zeros(dtype, shape);
        long n = Layout.numel(shape) * dtype.byteSize();
        if (bytes.byteSize() < n) {
            throw new IllegalArgumentException(bytes.byteSize() + " bytes for " + dtype + " " + Arrays.toString(shape));
        }
        MemorySegment.copy(bytes, 0, segment(out), 0, n);
        return out;
    }

    @Override
    public Tensor wrapHost(DType dtype, MemorySegment bytes, int... shape) {
        long n = Layout.numel(shape) * dtype.byteSize();
        if (bytes.byteSize() != n) {
            throw new IllegalArgumentException(bytes.byteSize() + " bytes for " + dtype + " " + Arrays.toString(shape));
        }
        return new Tensor(new CpuStorage(this, bytes, null), dtype, Layout.contiguous(shape));
    }

    @Override
    public void copyToHost(Tensor src, MemorySegment dst) {
        HostData.gather(segment(src), src.layout(), src.dtype().byteSize(), dst);
    }

    @Override
    public Tensor contiguous(Tensor src) {
        if (src.isContiguous()) {
            return src;
        }
        return reference || src.dtype() != DType.F32 ? copyOf(src) : StridedCopy.contiguous(this, src);
    }

    @Override
    public Tensor cast(Tensor src, DType to) {
        return src.dtype() == to ? contiguous(src) : LayoutOps.cast(this, src, to);
    }

    // ---- elementwise -----------------------------------------------------------------------

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        return reference ? RefElementwise.unary(this, op, x) : Elementwise.unary(this, op, x);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        return reference ? RefElementwise.binary(this, op, a, b) : Elementwise.binary(this, op, a, b);
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, float s) {
        return reference ? RefElementwise.binary(this, op, a, s) : Elementwise.binary(this, op, a, s);
    }

    // ---- reductions and normalisation ----------------------------------------------------

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim) {
        return reference ? RefElementwise.reduce(this, op, x, dim, keepDim) : Reductions.reduce(this, op, x, dim, keepDim);
    }

    @Override
    public Tensor argmax(Tensor x, int dim, boolean keepDim) {
        int d = x.layout().axis(dim);
        float[] idx = reference ? RefElementwise.argmax(this, x, d) : Reductions.argmax(this, x, d);
        Tensor out = cast(result(idx, DimSplit.reducedShape(x.shape(), d, true)), DType.I64);
        return keepDim ? out : out.squeeze(d);
    }

    @Override
    public Tensor softmax(Tensor x) {
        return reference ? RefElementwise.softmax(this, x) : Reductions.softmax(this, x);
    }

    @Override
    public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        checkNormParams(x.dim(-1), weight, bias);
        return reference ? RefElementwise.layerNorm(this, x, weight, bias, eps) : Norms.layerNorm(this, x, weight, bias, eps);
    }

    @Override
    public Tensor layerNorm2d(Tensor x, Tensor weight, Tensor bias, float eps) {
        checkNormParams(x.dim(1), weight, bias);
        return reference ? RefElementwise.layerNorm2d(this, x, weight, bias, eps)
                : Norms.layerNorm2d(this, x, weight, bias, eps);
    }

    private static void checkNormParams(int c, Tensor weight, Tensor bias) {
        if (weight.rank() != 1 || weight.dim(0) != c || bias.rank() != 1 || bias.dim(0) != c) {
            throw new IllegalArgumentException("norm over " + c + " channels got weight " + weight + " and bias " + bias);
        }
    }

    // ---- linear algebra ------------------------------------------------------------------

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        return reference ? RefLinalg.matmul(this, a, b) : FastLinalg.matmul(this, a, b);
    }

    @Override
    public Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation activation) {
        return reference ? RefLinalg.linear(this, x, weight, bias, activation)
                : FastLinalg.linear(this, x, weight, bias, activation);
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return reference ? RefLinalg.conv2d(this, x, weight, bias, strideH, strideW, padH, padW)
                : Conv.conv2d(this, x, weight, bias, strideH, strideW, padH, padW);
    }

    @Override
    public Tensor depthwiseConv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return reference ? RefLinalg.depthwiseConv2d(this, x, weight, bias, strideH, strideW, padH, padW)
                : DepthwiseConv.conv(this, x, weight, bias, strideH, strideW, padH, padW);
    }

    @Override
    public Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW) {
        return reference ? RefLinalg.convTranspose2d(this, x, weight, bias, strideH, strideW)
                : Conv.convTranspose2d(this, x, weight, bias, strideH, strideW);
    }

    @Override
    public Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW) {
        return reference ? RefLinalg.attention(this, q, k, v, scale, relH, relW)
                : Attention.attention(this, q, k, v, scale, relH, relW);
    }

    // ---- data movement and resampling ----------------------------------------------------

    @Override
    public Tensor pad(Tensor x, int[] pads, float value) {
        return reference && x.dtype() == DType.F32 ? RefLayout.pad(this, x, pads, value) : LayoutOps.pad(this, x, pads, value);
    }

    @Override
    public Tensor concat(List<Tensor> parts, int dim) {
        return reference && parts.stream().allMatch(t -> t.dtype() == DType.F32) ? RefLayout.concat(this, parts, dim)
                : LayoutOps.concat(this, parts, dim);
    }

    @Override
    public Tensor repeatInterleave(Tensor x, int repeats, int dim) {
        return reference && x.dtype() == DType.F32 ? RefLayout.repeatInterleave(this, x, repeats, dim)
                : LayoutOps.repeatInterleave(this, x, repeats, dim);
    }

    @Override
    public Tensor indexSelect(Tensor x, int dim, Tensor index) {
        return reference && x.dtype() == DType.F32 ? RefLayout.indexSelect(this, x, dim, index)
                : LayoutOps.indexSelect(this, x, dim, index);
    }

    @Override
    public Tensor interpolateBilinear(Tensor x, int outH, int outW) {
        return reference ? RefResample.bilinear(this, x, outH, outW) : Resample.bilinear(this, x, outH, outW);
    }

    @Override
    public Tensor interpolateBilinearCropped(Tensor x, int midH, int midW, int cropH, int cropW, int outH, int outW) {
        return reference ? Backend.super.interpolateBilinearCropped(x, midH, midW, cropH, cropW, outH, outW)
                : Resample.bilinearCropped(this, x, midH, midW, cropH, cropW, outH, outW);
    }

    @Override
    public Tensor interpolateLinear(Tensor x, int outL) {
        return reference ? RefResample.linear(this, x, outL) : Resample.linear(this, x, outL);
    }

    @Override
    public void close() {
        parallel.close();
        pool.clear();
    }
}
