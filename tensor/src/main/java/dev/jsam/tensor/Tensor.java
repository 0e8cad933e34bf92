package dev.jsam.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a {@link Storage} owned by a backend, a dtype and a {@link Layout}.
 * View methods (reshape, permute, narrow, expand ...) share the storage and copy nothing; the
 * compute methods delegate to the storage's backend and return new contiguous tensors.
 * Immutable: no method writes into an existing tensor.
 * A tensor may be read and used as an operand from several threads at once; whether ops may run
 * concurrently is its backend's {@link Backend#concurrentUse()}.
 */
public final class Tensor {
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Storage storage;
    private final DType dtype;
    private final Layout layout;

    /** For backends: a tensor over their storage. */
    public Tensor(Storage storage, DType dtype, Layout layout) {
        this.storage = storage;
        this.dtype = dtype;
        this.layout = layout;
    }

    // ---- creation helpers ----------------------------------------------------------------

    /** An F32 tensor on the backend holding a copy of data, row-major in the given shape. */
    public static Tensor of(Backend backend, float[] data, int... shape) {
        if (Layout.numel(shape) != data.length) {
            throw new IllegalArgumentException(data.length + " values for shape " + Arrays.toString(shape));
        }
        MemorySegment host = Arena.ofAuto().allocate((long) data.length * 4, 4);
        MemorySegment.copy(data, 0, host, F32_LE, 0, data.length);
        return backend.copyFromHost(DType.F32, host, shape);
    }

    /** A scalar-filled F32 tensor. */
    public static Tensor full(Backend backend, float value, int... shape) {
        float[] data = new float[Math.toIntExact(Layout.numel(shape))];
        Arrays.fill(data, value);
        return of(backend, data, shape);
    }

    // ---- metadata ------------------------------------------------------------------------

    public Storage storage() {
        return storage;
    }

    public Backend backend() {
        return storage.backend();
    }

    public DType dtype() {
        return dtype;
    }

    public Layout layout() {
        return layout;
    }

    public int[] shape() {
        return layout.shape();
    }

    public int dim(int d) {
        return layout.dim(d);
    }

    public int rank() {
        return layout.rank();
    }

    public long numel() {
        return layout.numel();
    }

    public boolean isContiguous() {
        return layout.isContiguous();
    }

    /** Whether the scope that owned this tensor's storage has closed (it must not be used then). */
    public boolean isReleased() {
        return storage instanceof ScopedStorage s && s.isReleased();
    }

    private Tensor withLayout(Layout l) {
        if (storage instanceof ScopedStorage s) {
            s.requireLive();
        }
        return new Tensor(storage, dtype, l);
    }

    // ---- views ---------------------------------------------------------------------------

    /** A view with the new shape when strides allow, else a contiguous copy (torch.reshape). */
    public Tensor reshape(int... shape) {
        Layout v = layout.viewAs(shape);
        if (v != null) {
            return withLayout(v);
        }
        return contiguous().reshape(shape);
    }

    public Tensor permute(int... dims) {
        return withLayout(layout.permute(dims));
    }

    public Tensor transpose(int a, int b) {
        return withLayout(layout.transpose(a, b));
    }

    public Tensor narrow(int dim, int start, int length) {
        return withLayout(layout.narrow(dim, start, length));
    }

    /** The index-th slice along dim, with that dim removed (t[..., index, ...]). */
    public Tensor select(int dim, int index) {
        return narrow(dim, index, 1).squeeze(dim);
    }

    public Tensor expand(int... shape) {
        return withLayout(layout.expand(shape));
    }

    public Tensor unsqueeze(int dim) {
        return withLayout(layout.unsqueeze(dim));
    }

    public Tensor squeeze(int dim) {
        return withLayout(layout.squeeze(dim));
    }

    /** Merges dims start..end (inclusive) into one, as torch.flatten. */
    public Tensor flatten(int start, int end) {
        int s = layout.axis(start), e = layout.axis(end);
        int[] sh = layout.shape();
        int[] ns = new int[sh.length - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            ns[k++] = sh[i];
        }
        int prod = 1;
        for (int i = s; i <= e; i++) {
            prod *= sh[i];
        }
        ns[k++] = prod;
        for (int i = e + 1; i < sh.length; i++) {
            ns[k++] = sh[i];
        }
        return reshape(ns);
    }

    public Tensor contiguous() {
        return backend().contiguous(this);
    }

    public Tensor to(DType to) {
        return to == dtype ? this : backend().cast(this, to);
    }

    /** The same values on another backend (copied through host memory). */
    public Tensor to(Backend other) {
        if (other == backend()) {
            return this;
        }
        MemorySegment host = Arena.ofAuto().allocate(numel() * dtype.byteSize(), 8);
        backend().copyToHost(this, host);
        return other.copyFromHost(dtype, host, shape());
    }

    // ---- compute -------------------------------------------------------------------------

    public Tensor add(Tensor o) {
        return binary(BinaryOp.ADD, o);
    }

    public Tensor sub(Tensor o) {
        return binary(BinaryOp.SUB, o);
    }

    public Tensor mul(Tensor o) {
        return binary(BinaryOp.MUL, o);
    }

    public Tensor div(Tensor o) {
        return binary(BinaryOp.DIV, o);
    }

    /**
     * a op b; when both operands are broadcast along a leading dim of size > 1 of the result (the
     * same values for every index there), the op runs once and its result is broadcast, which is
     * exact since every element is computed the same way.
     */
    public Tensor binary(BinaryOp op, Tensor o) {
        int[] shape = Layout.broadcastShapes(shape(), o.shape());
        if (shape.length > 1 && shape[0] > 1 && sharedLeading(this, shape) && sharedLeading(o, shape)) {
            Tensor a = this.expand(shape).narrow(0, 0, 1);
            Tensor b = o.expand(shape).narrow(0, 0, 1);
            return backend().binary(op, a, b).expand(shape);
        }
        return backend().binary(op, this, o);
    }

    /** True when t, broadcast to shape, has stride 0 along dim 0. */
    private static boolean sharedLeading(Tensor t, int[] shape) {
        return t.expand(shape).layout().stride(0) == 0;
    }

    public Tensor add(float s) {
        return backend().binary(BinaryOp.ADD, this, s);
    }

    public Tensor sub(float s) {
        return backend().binary(BinaryOp.SUB, this, s);
    }

    public Tensor mul(float s) {
        return backend().binary(BinaryOp.MUL, this, s);
    }

    public Tensor div(float s) {
        return backend().binary(BinaryOp.DIV, this, s);
    }

    public Tensor gt(float s) {
        return backend().binary(BinaryOp.GT, this, s);
    }

    public Tensor apply(UnaryOp op) {
        return backend().unary(op, this);
    }

    public Tensor exp() {
        return apply(UnaryOp.EXP);
    }

    public Tensor sin() {
        return apply(UnaryOp.SIN);
    }

    public Tensor cos() {
        return apply(UnaryOp.COS);
    }

    public Tensor relu() {
        return apply(UnaryOp.RELU);
    }

    public Tensor gelu() {
        return apply(UnaryOp.GELU);
    }

    public Tensor sigmoid() {
        return apply(UnaryOp.SIGMOID);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return backend().reduce(ReduceOp.SUM, this, dim, keepDim);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return backend().reduce(ReduceOp.MEAN, this, dim, keepDim);
    }

    public Tensor max(int dim, boolean keepDim) {
        return backend().reduce(ReduceOp.MAX, this, dim, keepDim);
    }

    public Tensor argmax(int dim, boolean keepDim) {
        return backend().argmax(this, dim, keepDim);
    }

    public Tensor softmax() {
        return backend().softmax(this);
    }

    public Tensor matmul(Tensor o) {
        return backend().matmul(this, o);
    }

    public Tensor pad(int[] pads, float value) {
        return backend().pad(this, pads, value);
    }

    public Tensor repeatInterleave(int repeats, int dim) {
        return backend().repeatInterleave(this, repeats, dim);
    }

    public static Tensor concat(List<Tensor> parts, int dim) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat of no tensors");
        }
        return parts.get(0).backend().concat(parts, dim);
    }

    // ---- data out ------------------------------------------------------------------------

    /** All elements as floats, row-major in this view's order (converted from any dtype). */
    public float[] toFloatArray() {
        Tensor f = to(DType.F32);
        MemorySegment host = Arena.ofAuto().allocate(f.numel() * 4, 4);
        f.backend().copyToHost(f, host);
        float[] out = new float[Math.toIntExact(f.numel())];
        MemorySegment.copy(host, F32_LE, 0, out, 0, out.length);
        return out;
    }

    /** All elements as bytes of this dtype (little-endian), row-major in this view's order. */
    public byte[] toByteArray() {
        MemorySegment host = Arena.ofAuto().allocate(numel() * dtype.byteSize(), 8);
        backend().copyToHost(this, host);
        return host.toArray(ValueLayout.JAVA_BYTE);
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() of a tensor with shape " + Arrays.toString(shape()));
        }
        return toFloatArray()[0];
    }

    @Override
    public String toString() {
        return "Tensor(" + dtype + " " + Arrays.toString(shape()) + " on " + backend().name() + ")";
    }
}
