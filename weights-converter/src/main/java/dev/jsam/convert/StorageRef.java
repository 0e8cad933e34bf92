package dev.jsam.convert;

import dev.jsam.tensor.DType;

/**
 * A storage named by a checkpoint's persistent id: the key of its bytes in the file, the
 * element type, the element count the pickle declares, and (for legacy storage views only)
 * the element offset into the root storage. It does not hold the bytes.
 */
record StorageRef(String key, DType dtype, long numel, long elementOffset) {
    long byteSize() {
        return numel * dtype.byteSize();
    }
}
