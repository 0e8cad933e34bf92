package dev.jsam.tensor;

/**
 * Storage that a {@link TensorScope} can own: created while a scope of its backend is open on
 * the creating thread, it belongs to that scope, and when the scope closes (unless the tensor
 * was kept) it is marked released and its memory goes back to the backend ({@link #free()}: the
 * CPU backend's buffer pool, the CUDA backend's device block cache), at once, without the
 * garbage collector. Created outside any scope (or detached), it is garbage-collected as before.
 * A released storage refuses every later use with an IllegalStateException ({@link #requireLive()}),
 * so no view of it ever reads memory that was handed out again. The owner is changed only on the
 * thread of the scopes involved; the released flag is read from any thread.
 */
public abstract class ScopedStorage implements Storage {
    /** The scope that will release this storage, or null when the garbage collector owns it. */
    TensorScope owner;
    private volatile boolean released;

    /** Gives the memory back to the backend; called once, by the owning scope's close. */
    protected abstract void free();

    /** Whether the scope that owned this storage has closed (it was not kept). */
    public final boolean isReleased() {
        return released;
    }

    /**
     * Fails when this storage was released: backends call it before every access.
     *
     * @throws IllegalStateException one line naming the cause
     */
    public final void requireLive() {
        if (released) {
            throw new IllegalStateException("tensor used after its TensorScope closed (" + byteSize() + " bytes on "
                    + backend().name() + "): keep it with scope.keep(t) or detach it to use it later");
        }
    }

    final void release() {
        released = true;
        owner = null;
        free();
    }
}
