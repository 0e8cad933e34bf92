package dev.jsam.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An explicit lifetime for intermediate tensors: while a scope of a backend is open on a
 * thread, every tensor that backend's ops create on that thread belongs to it, and closing the
 * scope hands their memory back to the backend at once (CPU: to a buffer pool the next ops draw
 * from, so the heap stops growing; CUDA: to the device block cache, without System.gc()).
 * <pre>{@code
 * try (TensorScope s = backend.scope()) {
 *     Tensor h = x.matmul(w).gelu();   // released when s closes
 *     return s.keep(h.add(b));         // survives: now owned by the enclosing scope, or the GC
 * }
 * }</pre>
 * Scopes nest; {@link #keep} moves a tensor's storage to the next enclosing scope of the same
 * backend on this thread (to the garbage collector when there is none), {@link #detach} hands it
 * to the garbage collector at once, from any scope of the thread (for state that outlives every caller's scope, such as a
 * predictor's cached embedding), and {@link #take} moves a tensor of an enclosing scope into this
 * one, so it dies here (a layer loop's previous activation). A tensor of a closed scope, and every
 * view of it, fails with an IllegalStateException on its next use. Tensors created outside any
 * scope, or of user memory (mapped weights, wrapped arrays), are never released by a scope.
 * Confined to the thread that opened it: ops that other threads run are not in it, and it must be
 * closed, innermost first, by that thread.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<TensorScope> INNERMOST = new ThreadLocal<>();

    private final Backend backend;
    private final TensorScope enclosing; // the thread's previous innermost scope, of any backend
    private final Thread thread;
    private final List<ScopedStorage> owned = new ArrayList<>();
    private final Runnable afterClose;
    private boolean closed;

    private TensorScope(Backend backend, Runnable afterClose) {
        this.backend = backend;
        this.afterClose = afterClose;
        this.thread = Thread.currentThread();
        this.enclosing = INNERMOST.get();
        INNERMOST.set(this);
    }

    /** Opens a scope of the backend on this thread; {@link Backend#scope()} calls this. */
    public static TensorScope open(Backend backend) {
        return new TensorScope(backend, null);
    }

    /**
     * For backends: opens a scope that runs afterClose once it has closed and released its
     * tensors (the CPU backend ends a call's buffer reuse there when it was the outermost scope).
     */
    public static TensorScope open(Backend backend, Runnable afterClose) {
        return new TensorScope(backend, afterClose);
    }

    public Backend backend() {
        return backend;
    }

    /** The innermost open scope of the backend on this thread, or null. */
    private static TensorScope current(Backend backend) {
        TensorScope s = INNERMOST.get();
        while (s != null && s.backend != backend) {
            s = s.enclosing;
        }
        return s;
    }

    /** Whether a scope of the backend is open on this thread (its new tensors would be released). */
    public static boolean isOpen(Backend backend) {
        return current(backend) != null;
    }

    /**
     * For backends: gives new storage to the innermost open scope of its backend on this thread.
     * Returns false, leaving it to the garbage collector, when there is none.
     */
    public static boolean adopt(ScopedStorage storage) {
        TensorScope s = current(storage.backend());
        if (s == null) {
            return false;
        }
        storage.owner = s;
        s.owned.add(storage);
        return true;
    }

    /** The next open scope of the same backend outside this one, or null. */
    private TensorScope outer() {
        TensorScope s = enclosing;
        while (s != null && s.backend != backend) {
            s = s.enclosing;
        }
        return s;
    }

    /**
     * Lets t (and every view of its storage) outlive this scope: a tensor this scope owns moves
     * to the enclosing scope of the same backend, or to the garbage collector when none is open.
     * A tensor this scope does not own (an enclosing scope's, the collector's) is left as it is.
     *
     * @return t
     */
    public Tensor keep(Tensor t) {
        requireOpen();
        if (t.storage() instanceof ScopedStorage s && s.owner == this) {
            TensorScope to = outer();
            s.owner = to;
            if (to != null) {
                to.owned.add(s);
            }
        }
        return t;
    }

    /**
     * Hands t's storage to the garbage collector whichever scope of this thread owns it, open or
     * not: for tensors kept in objects that outlive every caller's scope (caches, the embedding a
     * predictor holds). A tensor owned by no scope is left as it is.
     *
     * @return t
     * @throws IllegalStateException if t was already released, or is owned by a scope of another thread
     */
    public static Tensor detach(Tensor t) {
        if (t.storage() instanceof ScopedStorage s) {
            s.requireLive();
            TensorScope owner = s.owner;
            if (owner != null) {
                if (owner.thread != Thread.currentThread()) {
                    throw new IllegalStateException("tensor belongs to a TensorScope of thread " + owner.thread.getName());
                }
                s.owner = null; // left in its old scope's list, which skips storages it no longer owns
            }
        }
        return t;
    }

    /**
     * Moves t's storage from an enclosing scope of this thread into this one, so it is released
     * when this scope closes unless kept: the previous activation of a layer loop. A tensor owned
     * by no scope (weights, user tensors, results handed to the collector) is left as it is.
     *
     * @return t
     */
    public Tensor take(Tensor t) {
        requireOpen();
        if (t.storage() instanceof ScopedStorage s && s.owner != null && s.owner != this) {
            for (TensorScope e = enclosing; e != null; e = e.enclosing) {
                if (e == s.owner) {
                    s.owner = this;
                    owned.add(s);
                    return t;
                }
            }
            throw new IllegalStateException("take: the tensor belongs to a TensorScope that does not enclose this one");
        }
        return t;
    }

    /**
     * One layer of a loop with its own lifetime: layer(x) in a new scope of x's backend, whose
     * result outlives it and whose other tensors do not; with consumeInput, x too dies with the
     * scope (when an enclosing scope of this thread owns it), as the previous activation of a
     * layer stack that nothing else holds.
     */
    public static Tensor layer(Tensor x, boolean consumeInput, UnaryOperator<Tensor> layer) {
        try (TensorScope s = x.backend().scope()) {
            if (consumeInput) {
                s.take(x);
            }
            return s.keep(layer.apply(x));
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("TensorScope already closed");
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("TensorScope used from thread " + Thread.currentThread().getName()
                    + " but opened on " + thread.getName());
        }
    }

    /**
     * Releases every storage this scope still owns, giving its memory back to the backend.
     *
     * @throws IllegalStateException if called from another thread, or while a scope opened inside
     *                               this one on this thread is still open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        requireOpen();
        if (INNERMOST.get() != this) {
            throw new IllegalStateException("TensorScope closed while a scope opened inside it is still open");
        }
        closed = true;
        INNERMOST.set(enclosing);
        try {
            for (ScopedStorage s : owned) {
                if (s.owner == this) {
                    s.release();
                }
            }
            owned.clear();
        } finally {
            if (afterClose != null) {
                afterClose.run(); // even after a failed release: the backend's count of running calls must not drift
            }
        }
    }
}
