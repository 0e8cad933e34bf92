package dev.jsam.kernels.cuda;

import jcuda.NativePointerObject;
import jcuda.Pointer;

/**
 * The raw addresses behind JCuda's handle objects, for the calls jsam makes through the JDK's
 * foreign-function API (cuBLAS). JCuda keeps them in protected fields; copying a handle into a
 * subclass, which JCuda's copy constructors allow, is the public way to read them.
 */
final class NativeAddress {
    private NativeAddress() {
    }

    /** The address a device pointer (a CUdeviceptr, with any withByteOffset applied) points at. */
    static long of(Pointer p) {
        return new PointerCopy(p).address();
    }

    /** The raw value of a driver handle such as a CUstream. */
    static long of(NativePointerObject handle) {
        return new HandleCopy(handle).value();
    }

    private static final class PointerCopy extends Pointer {
        PointerCopy(Pointer p) {
            super(p);
        }

        long address() {
            return getNativePointer() + getByteOffset();
        }
    }

    private static final class HandleCopy extends NativePointerObject {
        HandleCopy(NativePointerObject o) {
            super(o);
        }

        long value() {
            return getNativePointer();
        }
    }
}
