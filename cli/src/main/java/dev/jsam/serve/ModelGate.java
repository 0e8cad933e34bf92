package dev.jsam.serve;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Where the server's threads meet the model: at once when the backend allows concurrent use
 * (the CPU backends), one call at a time, in arrival order, when it does not (the CUDA backend).
 * Everything that touches the backend's tensors, reading results back included, runs inside.
 */
final class ModelGate {
    /** Work that may throw a checked exception of type E. */
    interface Work<T, E extends Exception> {
        T call() throws E;
    }

    private final ReentrantLock lock;

    ModelGate(boolean serial) {
        this.lock = serial ? new ReentrantLock(true) : null;
    }

    <T, E extends Exception> T run(Work<T, E> work) throws E {
        if (lock == null) {
            return work.call();
        }
        lock.lock();
        try {
            return work.call();
        } finally {
            lock.unlock();
        }
    }
}
