package dev.jsam.convert;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * An opened PyTorch checkpoint, either format: the unpickled root object and where each storage's
 * bytes lie in the file. Storage bytes are mapped on demand into an arena the caller controls,
 * so only the storage being converted is mapped (and counted in the process's memory); zip
 * storages are checked against their CRC-32 on first use. Closing releases the file.
 */
final class Checkpoint implements AutoCloseable {
    /** Where a storage's bytes lie in the file, with their CRC-32 (-1 where the format has none). */
    record Region(long offset, long length, long crc) {
    }

    private final Arena arena;
    private final FileChannel channel;
    private final String fileName;
    private final String description;
    private final Object root;
    private final Map<String, Region> storages;
    private final Set<String> verified = new HashSet<>();

    private Checkpoint(Arena arena, FileChannel channel, String fileName, Contents contents) {
        this.arena = arena;
        this.channel = channel;
        this.fileName = fileName;
        this.description = contents.description();
        this.root = contents.root();
        this.storages = contents.storages();
    }

    /** What a format reader found: a description, the root object and the storage regions. */
    record Contents(String description, Object root, Map<String, Region> storages) {
    }

    /** Maps the file and reads it as a torch.save zip archive or a legacy (pre-1.6) pickle stream. */
    static Checkpoint open(Path file) throws IOException {
        Arena arena = Arena.ofConfined();
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            String name = file.getFileName().toString();
            Contents contents;
            if (startsWith(all, 0, "PK\u0003\u0004")) {
                contents = ZipCheckpoint.load(all, name);
            } else if (all.byteSize() >= 2 && Byte.toUnsignedInt(all.get(ValueLayout.JAVA_BYTE, 0)) == 0x80) {
                contents = LegacyCheckpoint.load(all, name);
            } else {
                String hint = startsWith(all, 257, "ustar")
                        ? " (a tar archive: the tar format of PyTorch before 0.4 is not supported)" : "";
                throw new CheckpointException(name + ": not a PyTorch checkpoint: neither a torch.save zip archive"
                        + " nor a legacy pickle stream" + hint);
            }
            return new Checkpoint(arena, ch, name, contents);
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (ch != null) {
                ch.close();
            }
            throw e;
        }
    }

    /**
     * Whether the file is a PyTorch checkpoint in either format, by its structure: a zip archive
     * whose central directory holds one {@code <folder>/data.pkl}, or a pickle stream whose first
     * object is torch's magic number. Reads no storage.
     */
    static boolean recognises(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            String name = file.getFileName().toString();
            return startsWith(all, 0, "PK\u0003\u0004") ? ZipCheckpoint.recognises(all, name)
                    : LegacyCheckpoint.recognises(all, name);
        }
    }

    private static boolean startsWith(MemorySegment s, long at, String ascii) {
        byte[] want = ascii.getBytes(StandardCharsets.ISO_8859_1);
        if (s.byteSize() < at + want.length) {
            return false;
        }
        return MemorySegment.ofArray(want).mismatch(s.asSlice(at, want.length)) == -1;
    }

    /** What was read, e.g. "torch zip archive 'sam_tiny' (format version 3)". */
    String description() {
        return description;
    }

    /** The top-level unpickled object. */
    Object root() {
        return root;
    }

    /**
     * Maps the bytes of the storage (or legacy storage view) the reference names, from its
     * element 0, into {@code into}; valid until that arena closes.
     */
    MemorySegment bytes(StorageRef s, Arena into) throws IOException {
        Region r = storages.get(s.key());
        if (r == null) {
            throw new CheckpointException(fileName + ": storage " + s.key() + " has no data in the file");
        }
        long begin = s.elementOffset() * s.dtype().byteSize();
        long need = s.byteSize();
        if (s.elementOffset() < 0 || s.numel() < 0 || begin > r.length() || need > r.length() - begin) {
            throw new CheckpointException(fileName + ": storage " + s.key() + " declares " + s.numel() + " "
                    + s.dtype() + " elements at offset " + s.elementOffset() + " but its data holds "
                    + r.length() + " bytes");
        }
        MemorySegment all = r.length() == 0 ? MemorySegment.ofArray(new byte[0])
                : channel.map(FileChannel.MapMode.READ_ONLY, r.offset(), r.length(), into);
        if (r.crc() >= 0 && verified.add(s.key()) && ZipArchive.crc32(all) != r.crc()) {
            throw new CheckpointException(fileName + ": storage " + s.key() + " fails its CRC-32 check (corrupt file)");
        }
        return all.asSlice(begin, need);
    }

    @Override
    public void close() throws IOException {
        try {
            arena.close();
        } finally {
            channel.close();
        }
    }
}
