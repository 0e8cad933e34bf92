package dev.jsam.kernels.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameter list of one kernel launch, in the order of the kernel's signature: device
 * pointers, 32-bit ints, 64-bit longs, floats and by-value structs packed as long[] (the
 * Geometry and GemmArgs structs of the .cu sources). A null device pointer is passed as 0.
 * Each parameter also gets its PTX tag, which the launch checks against the kernel.
 */
final class KernelArgs {
    private final List<NativePointerObject> params = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();

    KernelArgs ptr(CUdeviceptr p) {
        params.add(Pointer.to(p == null ? new CUdeviceptr() : p));
        tags.add("u64");
        return this;
    }

    KernelArgs i32(int v) {
        params.add(Pointer.to(new int[] {v}));
        tags.add("u32");
        return this;
    }

    KernelArgs i64(long v) {
        params.add(Pointer.to(new long[] {v}));
        tags.add("u64");
        return this;
    }

    KernelArgs f32(float v) {
        params.add(Pointer.to(new float[] {v}));
        tags.add("f32");
        return this;
    }

    /** A struct passed by value, as its 64-bit words (little-endian, C layout). */
    KernelArgs struct(long[] words) {
        params.add(Pointer.to(words.clone()));
        tags.add("b8[" + words.length * Long.BYTES + "]");
        return this;
    }

    /** The parameter tags in PTX's terms, as {@link PtxSignature} reads them from a kernel. */
    List<String> tags() {
        return List.copyOf(tags);
    }

    Pointer pointer() {
        return Pointer.to(params.toArray(new NativePointerObject[0]));
    }
}
