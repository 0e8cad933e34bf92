package dev.jsam.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads files named by a path or URI on any file system Hadoop knows (local, hdfs:, s3a: ...):
 * an image's bytes, or a copy of a checkpoint on local disk where it can be memory-mapped.
 * Errors are IOExceptions with a one-line message naming the path.
 */
final class HadoopFiles {
    /** The largest image file read, the most a Java array holds. */
    static final long MAX_IMAGE_BYTES = Integer.MAX_VALUE - 8;

    private HadoopFiles() {
    }

    /** The whole file, refused when it is a folder or larger than {@link #MAX_IMAGE_BYTES}. */
    static byte[] read(String path, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus status;
        try {
            status = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new IOException("no such file");
        }
        if (status.isDirectory()) {
            throw new IOException("a folder, not an image file");
        }
        if (status.getLen() > MAX_IMAGE_BYTES) {
            throw new IOException("file of " + status.getLen() + " bytes, larger than the " + MAX_IMAGE_BYTES + " read at most");
        }
        byte[] bytes = new byte[(int) status.getLen()];
        try (FSDataInputStream in = fs.open(p)) {
            in.readFully(0, bytes);
        }
        return bytes;
    }

    /** Copies a file of another file system into {@code dir} under its own name, whole or not at all. */
    static Path copyToLocal(String uri, Configuration conf, Path dir) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
        Path target = dir.resolve(p.getName());
        Path partial = Files.createTempFile(dir, "." + p.getName(), ".partial");
        try (FSDataInputStream in = p.getFileSystem(conf).open(p)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileNotFoundException e) {
            throw new IOException(uri + ": no such file");
        } finally {
            Files.deleteIfExists(partial);
        }
        return target;
    }
}
