package dev.jsam.convert;

import dev.jsam.tensor.DType;
import dev.jsam.tensor.io.SafetensorsWriter;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Turns a (storage, offset, size, stride) tensor into the contiguous row-major bytes PyTorch
 * would produce with .contiguous(), optionally cast, and streams them to a SafetensorsWriter in
 * bounded chunks: contiguous tensors go straight from the mapped file, strided views (transposed,
 * sliced, expanded) are gathered run by run through a fixed staging buffer. Heap use is constant.
 */
final class Materializer implements AutoCloseable {
    private static final long CHUNK_ELEMENTS = 1 << 20;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment staging = arena.allocate(CHUNK_ELEMENTS * 8, 64);
    private final MemorySegment converted = arena.allocate(CHUNK_ELEMENTS * 8, 64);

    /** The tensor's shape as ints, after checking the view lies inside its storage. */
    static int[] checkedShape(String name, TensorRef t) throws CheckpointException {
        try {
            return shapeOf(name, t);
        } catch (ArithmeticException e) {
            throw new CheckpointException("tensor " + name + ": view " + t + " overflows 64-bit indexing");
        }
    }

    private static int[] shapeOf(String name, TensorRef t) throws CheckpointException {
        int[] shape = new int[t.size().length];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = t.size()[i];
            if (d < 0 || d > Integer.MAX_VALUE || t.stride()[i] < 0) {
                throw new CheckpointException("tensor " + name + ": bad size " + Arrays.toString(t.size())
                        + " or stride " + Arrays.toString(t.stride()));
            }
            shape[i] = (int) d;
            numel = Math.multiplyExact(numel, d);
        }
        if (t.offset() < 0) {
            throw new CheckpointException("tensor " + name + ": negative storage offset " + t.offset());
        }
        if (numel > 0) {
            long last = t.offset();
            for (int i = 0; i < shape.length; i++) {
                last = Math.addExact(last, Math.multiplyExact(t.size()[i] - 1, t.stride()[i]));
            }
            if (last >= t.storage().numel()) {
                throw new CheckpointException("tensor " + name + ": view " + t + " reaches element " + last
                        + " of a storage of " + t.storage().numel() + " elements");
            }
        }
        return shape;
    }

    /** Whether the view is plain row-major (dimensions of size 1 may have any stride). */
    static boolean isContiguous(TensorRef t) {
        long expected = 1;
        for (int i = t.size().length - 1; i >= 0; i--) {
            if (t.size()[i] != 1 && t.stride()[i] != expected) {
                return false;
            }
            expected *= t.size()[i];
        }
        return true;
    }

    /**
     * Streams one tensor (already begun on the writer) as {@code target}.
     *
     * @param storage  the storage bytes from its element 0
     * @param progress told the number of output bytes after each chunk
     */
    void stream(TensorRef t, MemorySegment storage, DType target, SafetensorsWriter w, LongConsumer progress)
            throws IOException {
        DType src = t.storage().dtype();
        long es = src.byteSize();
        long numel = t.numel();
        if (numel == 0) {
            return;
        }
        if (isContiguous(t)) {
            MemorySegment base = storage.asSlice(t.offset() * es, numel * es);
            for (long i = 0; i < numel; i += CHUNK_ELEMENTS) {
                long n = Math.min(CHUNK_ELEMENTS, numel - i);
                emit(base.asSlice(i * es, n * es), n, src, target, w, progress);
            }
            return;
        }
        int dims = t.size().length;
        long[] index = new long[dims];
        long inner = t.size()[dims - 1];
        long innerStride = t.stride()[dims - 1];
        long filled = 0;
        for (long done = 0; done < numel; done += inner) {
            long at = t.offset();
            for (int d = 0; d < dims - 1; d++) {
                at += index[d] * t.stride()[d];
            }
            for (long j = 0; j < inner; ) {
                long n = Math.min(CHUNK_ELEMENTS - filled, inner - j);
                if (innerStride == 1) {
                    MemorySegment.copy(storage, (at + j) * es, staging, filled * es, n * es);
                } else {
                    for (long k = 0; k < n; k++) {
                        MemorySegment.copy(storage, (at + (j + k) * innerStride) * es, staging, (filled + k) * es, es);
                    }
                }
                filled += n;
                j += n;
                if (filled == CHUNK_ELEMENTS) {
                    emit(staging.asSlice(0, filled * es), filled, src, target, w, progress);
                    filled = 0;
                }
            }
            for (int d = dims - 2; d >= 0; d--) {
                if (++index[d] < t.size()[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        if (filled > 0) {
            emit(staging.asSlice(0, filled * es), filled, src, target, w, progress);
        }
    }

    private void emit(MemorySegment chunk, long n, DType src, DType target, SafetensorsWriter w,
                      LongConsumer progress) throws IOException {
        if (src == target) {
            w.write(chunk);
            progress.accept(chunk.byteSize());
        } else {
            MemorySegment out = converted.asSlice(0, n * target.byteSize());
            FloatConv.convert(chunk, src, out, target, n);
            w.write(out);
            progress.accept(out.byteSize());
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
