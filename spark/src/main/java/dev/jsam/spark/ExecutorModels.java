package dev.jsam.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The models of one JVM (an executor, or the driver in local mode), created lazily: each
 * checkpoint is found and memory-mapped once, and a task borrows a model over that mapping on a
 * backend with the thread count it asks for (spark.task.cpus). A model serves one task at a time
 * and goes back to the idle list when the task ends, so the JVM builds at most one per task slot
 * and every later task reuses them; the weights exist once whatever the number of slots.
 */
final class ExecutorModels {
    private static final Map<String, SamLibrary.Checkpoint> CHECKPOINTS = new ConcurrentHashMap<>();
    private static final Map<Key, Deque<SamLibrary.Model>> IDLE = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> BUILT = new ConcurrentHashMap<>();

    private record Key(String checkpoint, String device, int threads) {
    }

    /** A model lent to one task; closing it gives it back. */
    static final class Lease implements AutoCloseable {
        private final Key key;
        private SamLibrary.Model model;

        private Lease(Key key, SamLibrary.Model model) {
            this.key = key;
            this.model = model;
        }

        SamLibrary.Model model() {
            if (model == null) {
                throw new IllegalStateException("the model was given back");
            }
            return model;
        }

        @Override
        public void close() {
            if (model != null) {
                Deque<SamLibrary.Model> idle = IDLE.get(key);
                synchronized (idle) {
                    idle.push(model);
                }
                model = null;
            }
        }
    }

    private ExecutorModels() {
    }

    /** A model of {@code checkpoint} on {@code device} with {@code threads} threads, for the caller alone until closed. */
    static Lease borrow(String checkpoint, String device, int threads, Configuration conf) throws IOException {
        Key key = new Key(checkpoint, device, threads);
        Deque<SamLibrary.Model> idle = IDLE.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (idle) {
            if (!idle.isEmpty()) {
                return new Lease(key, idle.pop());
            }
        }
        SamLibrary.Checkpoint mapped = checkpoint(checkpoint, conf);
        SamLibrary.Model model = SamLibrary.model(mapped, device, threads);
        BUILT.computeIfAbsent(checkpoint, c -> new AtomicInteger()).incrementAndGet();
        return new Lease(key, model);
    }

    /** The checkpoint, found and mapped at the first call in this JVM; an error names what is wrong. */
    static SamLibrary.Checkpoint checkpoint(String checkpoint, Configuration conf) throws IOException {
        try {
            return CHECKPOINTS.computeIfAbsent(checkpoint, c -> {
                try {
                    return SamLibrary.map(locate(c, conf));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Where this JVM reads the checkpoint: a local (or shared file system) path; else the file of
     * that name shipped with --files (SparkFiles); else, for a URI of another file system (hdfs:,
     * s3a: ...), a copy on local disk made once per JVM.
     */
    private static Path locate(String checkpoint, Configuration conf) throws IOException {
        URI uri = new org.apache.hadoop.fs.Path(checkpoint).toUri();
        String scheme = uri.getScheme();
        if (scheme != null && !scheme.equals("file")) {
            Path dir = Files.createTempDirectory("jsam-checkpoint-");
            Path copy = HadoopFiles.copyToLocal(checkpoint, conf, dir);
            dir.toFile().deleteOnExit();
            copy.toFile().deleteOnExit();
            return copy;
        }
        Path path = Path.of(uri.getPath());
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (SparkEnv.get() != null && path.getFileName() != null) {
            Path shipped = Path.of(SparkFiles.get(path.getFileName().toString()));
            if (Files.isRegularFile(shipped)) {
                return shipped;
            }
        }
        throw new NoSuchFileException(checkpoint, null, "checkpoint not found on this machine nor among the files"
                + " shipped with --files (give a path every executor can read)");
    }

    /** How many models of {@code checkpoint} this JVM has built, whatever their device and threads (for the tests). */
    static int modelsBuilt(String checkpoint) {
        AtomicInteger n = BUILT.get(checkpoint);
        return n == null ? 0 : n.get();
    }
}
