package dev.jsam.tensor.io;

import dev.jsam.tensor.DType;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a safetensors file atomically: a temporary file in the target's directory (default
 * permissions) is renamed over the target by {@link #commit()}; closing without a commit deletes
 * it, so no partial output ever appears. Tensors are declared up front, the header (keys sorted,
 * space-padded to 8 bytes) is written at once, then each tensor's bytes are streamed and counted:
 * in declaration order ({@link #begin}, {@link #write}, {@link #end}), or interleaved across
 * tensors, each tensor's bytes in order ({@link #append}: e.g. a batch of masks and their scores
 * written a mask at a time, never all held). It does not convert dtypes.
 * Not thread-safe: one writer is driven by one thread (a file is written in order anyway).
 */
public final class SafetensorsWriter implements AutoCloseable {
    private static final int CHUNK = 8 << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A tensor to be written: name, dtype and shape; its byte size follows from them. */
    public record Spec(String name, DType dtype, int[] shape) {
        /** Bytes of data this tensor occupies. */
        public long byteSize() {
            long n = dtype.byteSize();
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor \"" + name + "\": negative dimension in "
                            + Arrays.toString(shape));
                }
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private final Path out;
    private final Path tmp;
    private final FileChannel channel;
    private final List<Spec> specs;
    private final long[] sizes;
    private final long[] starts;
    private final long[] written;
    private final Map<String, Integer> index = new HashMap<>();
    private int current = -1;
    private boolean inTensor;
    private boolean done;

    private SafetensorsWriter(Path out, Path tmp, FileChannel channel, List<Spec> specs, long[] sizes, long dataStart) {
        this.out = out;
        this.tmp = tmp;
        this.channel = channel;
        this.specs = specs;
        this.sizes = sizes;
        this.starts = new long[sizes.length];
        this.written = new long[sizes.length];
        long at = dataStart;
        for (int i = 0; i < sizes.length; i++) {
            starts[i] = at;
            at += sizes[i];
            index.put(specs.get(i).name(), i);
        }
    }

    /**
     * Declares the tensors (data laid out in this order) and writes the header to a temporary file.
     *
     * @throws IllegalArgumentException for duplicate or reserved names or bad shapes
     */
    public static SafetensorsWriter create(Path out, Map<String, String> metadata, List<Spec> specs)
            throws IOException {
        List<Spec> list = List.copyOf(specs);
        long[] sizes = new long[list.size()];
        Map<String, Object> entries = new TreeMap<>();
        Set<String> seen = new HashSet<>();
        long offset = 0;
        for (int i = 0; i < list.size(); i++) {
            Spec s = list.get(i);
            if (s.name().equals("__metadata__") || !seen.add(s.name())) {
                throw new IllegalArgumentException("tensor name \"" + s.name() + "\" is reserved or declared twice");
            }
            sizes[i] = s.byteSize();
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("dtype", s.dtype().safetensorsName());
            List<Object> shape = new ArrayList<>();
            for (int d : s.shape()) {
                shape.add((long) d);
            }
            fields.put("shape", shape);
            fields.put("data_offsets", List.of(offset, offset + sizes[i]));
            entries.put(s.name(), fields);
            offset += sizes[i];
        }
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new TreeMap<>(metadata));
        }
        header.putAll(entries);
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path tmp = null;
        FileChannel ch = null;
        try {
            for (int attempt = 0; ch == null; attempt++) {
                tmp = out.toAbsolutePath().resolveSibling(
                        "." + out.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    if (attempt > 100) {
                        throw taken;
                    }
                    tmp = null;
                }
            }
            long dataStart = head.remaining();
            writeFully(ch, head, 0);
            return new SafetensorsWriter(out, tmp, ch, list, sizes, dataStart);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            throw e;
        }
    }

    /** Writes a whole file from in-memory tensors (keys sorted in the header and in the data). */
    public static void write(Path out, Map<String, String> metadata, List<SafetensorsFile.Entry> entries)
            throws IOException {
        List<SafetensorsFile.Entry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        List<Spec> specs = new ArrayList<>();
        for (SafetensorsFile.Entry e : sorted) {
            specs.add(new Spec(e.name(), e.dtype(), e.shape()));
        }
        try (SafetensorsWriter w = create(out, metadata, specs)) {
            for (SafetensorsFile.Entry e : sorted) {
                w.writeTensor(e.name(), e.data());
            }
            w.commit();
        }
    }

    /** Starts the next declared tensor, which must be the one named. */
    public void begin(String name) {
        checkOpen();
        if (inTensor) {
            throw new IllegalStateException("tensor \"" + specs.get(current).name() + "\" was not ended");
        }
        if (current + 1 >= specs.size()) {
            throw new IllegalStateException("tensor \"" + name + "\" begun after all declared tensors were written");
        }
        Spec next = specs.get(current + 1);
        if (!next.name().equals(name)) {
            throw new IllegalStateException("expected tensor \"" + next.name() + "\" next, got \"" + name + "\"");
        }
        current++;
        if (written[current] != 0) {
            throw new IllegalStateException("tensor \"" + name + "\" was already appended to");
        }
        inTensor = true;
    }

    /** Appends bytes to the current tensor; refuses more than it declared. */
    public void write(ByteBuffer bytes) throws IOException {
        checkOpen();
        if (!inTensor) {
            throw new IllegalStateException("write outside begin/end");
        }
        put(current, bytes);
    }

    /**
     * Appends a segment's bytes to the current tensor, in chunks so any size works. Native and
     * mapped segments are written in place; heap segments (e.g. over a float[]) through a copy.
     */
    public void write(MemorySegment bytes) throws IOException {
        for (long off = 0; off < bytes.byteSize(); off += CHUNK) {
            int n = (int) Math.min(CHUNK, bytes.byteSize() - off);
            if (bytes.isNative()) {
                write(bytes.asSlice(off, n).asByteBuffer());
            } else {
                byte[] copy = new byte[n];
                MemorySegment.copy(bytes, off, MemorySegment.ofArray(copy), 0, n);
                write(ByteBuffer.wrap(copy));
            }
        }
    }

    /**
     * Appends bytes to the named tensor after those appended to it before, whatever was written to
     * the others in between; refuses more than it declared. Not for a tensor between {@link #begin}
     * and {@link #end}.
     */
    public void append(String name, ByteBuffer bytes) throws IOException {
        checkOpen();
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("tensor \"" + name + "\" was not declared");
        }
        if (inTensor && i == current) {
            throw new IllegalStateException("tensor \"" + name + "\" is being written by begin/write/end");
        }
        put(i, bytes);
    }

    /**
     * Where the named tensor's data starts in the file, in bytes from its beginning: for reading
     * back what was written once the file is committed, without mapping it.
     */
    public long dataOffset(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("tensor \"" + name + "\" was not declared");
        }
        return starts[i];
    }

    /** Writes bytes at tensor i's cursor and advances it. */
    private void put(int i, ByteBuffer bytes) throws IOException {
        if (written[i] + bytes.remaining() > sizes[i]) {
            throw new IllegalStateException("tensor \"" + specs.get(i).name() + "\": "
                    + (written[i] + bytes.remaining()) + " bytes written, declared " + sizes[i]);
        }
        long at = starts[i] + written[i];
        written[i] += bytes.remaining();
        writeFully(channel, bytes, at);
    }

    /** Ends the current tensor, checking that exactly its declared byte count arrived. */
    public void end() {
        checkOpen();
        if (!inTensor) {
            throw new IllegalStateException("end without begin");
        }
        if (written[current] != sizes[current]) {
            throw new IllegalStateException("tensor \"" + specs.get(current).name() + "\": "
                    + written[current] + " bytes written, declared " + sizes[current]);
        }
        inTensor = false;
    }

    /** begin, write and end in one call. */
    public void writeTensor(String name, MemorySegment data) throws IOException {
        begin(name);
        write(data);
        end();
    }

    /** Flushes to disk and renames the temporary file over the target; all tensors must be written. */
    public void commit() throws IOException {
        checkOpen();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            if (written[i] != sizes[i] || inTensor && i == current) {
                missing.add(specs.get(i).name());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(missing.size() + " declared tensor(s) not written or not ended: " + missing);
        }
        channel.force(true);
        channel.close();
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        done = true;
    }

    /** Abandons an uncommitted file (deleting the temporary file); a no-op after commit. */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("writer for " + out + " is already committed or closed");
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        for (long at = position; buf.hasRemaining(); ) {
            at += ch.write(buf, at);
        }
    }
}
