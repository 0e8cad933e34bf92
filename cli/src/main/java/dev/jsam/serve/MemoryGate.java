package dev.jsam.serve;

/**
 * The server's heap budget for work in flight (--memory-mb less what the cache may hold): each
 * upload, prompt and "segment everything" job reserves, before its work starts, the heap jsam's
 * memory model says it needs ({@link dev.jsam.cli.MemoryBudget}) and gives it back when done.
 * Work that could never fit is refused with 413, work that does not fit beside what is running
 * with 503 (try again shortly). Results kept after the work (finished jobs' masks) are counted with
 * {@link #hold}, which never refuses. Thread-safe.
 */
final class MemoryGate {
    private final long capacity;
    private long reserved;

    MemoryGate(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("no memory left for requests: " + capacity + " bytes");
        }
        this.capacity = capacity;
    }

    /** A share of the budget, given back by {@link #close()} (once). */
    final class Reservation implements AutoCloseable {
        private long bytes;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            synchronized (MemoryGate.this) {
                reserved -= bytes;
                bytes = 0;
            }
        }
    }

    /**
     * Reserves {@code bytes} for work described by {@code what} ("this 8000 x 6000 image").
     *
     * @throws ApiException 413 when the work needs more than the whole budget, 503 when it does
     *                      not fit beside the work in flight
     */
    synchronized Reservation reserve(long bytes, String what) {
        if (bytes > capacity) {
            throw new ApiException(413, what + " needs about " + mb(bytes) + " MB of memory, over this server's budget of "
                    + mb(capacity) + " MB for requests (--memory-mb less --cache-mb); restart it with more");
        }
        if (reserved + bytes > capacity) {
            throw new ApiException(503, "busy: " + what + " needs about " + mb(bytes) + " MB of memory and "
                    + mb(Math.max(0, capacity - reserved)) + " MB are free now; try again shortly");
        }
        reserved += bytes;
        return new Reservation(bytes);
    }

    /** Counts bytes kept by finished work (released by the reservation's close), even over the budget. */
    synchronized Reservation hold(long bytes) {
        reserved += bytes;
        return new Reservation(bytes);
    }

    long capacity() {
        return capacity;
    }

    synchronized long reserved() {
        return reserved;
    }

    private static long mb(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
