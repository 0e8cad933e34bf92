package dev.jsam.convert;

import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a storage, an element
 * offset into it, a size and strides (in elements). Validation against the storage and
 * materialisation happen elsewhere ({@link Materializer}).
 */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    long numel() {
        long n = 1;
        for (long d : size) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return "tensor(" + storage.dtype() + Arrays.toString(size) + ", storage " + storage.key()
                + ", offset " + offset + ", stride " + Arrays.toString(stride) + ")";
    }
}
