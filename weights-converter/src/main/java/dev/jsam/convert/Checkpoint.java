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
 * An opened PyTorch checkpoint, either format: the memory-mapped file, the unpickled root object
 * and zero-copy access to each storage's bytes (checked against the size the pickle declares,
 * and for zip archives against the entry's CRC-32 on first use). Closing unmaps the file, so no
 * segment it handed out may be used afterwards.
 */
final class Checkpoint implements AutoCloseable {
    /** Checks a storage's raw bytes once before first use; may throw naming the storage. */
    interface Verifier {
        void verify(String key) throws CheckpointException;
    }

    private final Arena arena;
    private final String fileName;
    private final String description;
    private final Object root;
    private final Map<String, MemorySegment> storages;
    private final Verifier verifier;
    private final Set<String> verified = new HashSet<>();

    Checkpoint(Arena arena, String fileName, String description, Object root,
               Map<String, MemorySegment> storages, Verifier verifier) {
        this.arena = arena;
        this.fileName = fileName;
        this.description = description;
        this.root = root;
        this.storages = storages;
        this.verifier = verifier;
    }

    /** Maps the file and reads it as a torch.save zip archive or a legacy (pre-1.6) pickle stream. */
    static Checkpoint open(Path file) throws IOException {
        Arena arena = Arena.ofConfined();
        try {
            MemorySegment all;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            }
            String name = file.getFileName().toString();
            if (startsWith(all, 0, "PK\u0003\u0004")) {
                return ZipCheckpoint.load(arena, all, name);
            }
            if (all.byteSize() >= 2 && Byte.toUnsignedInt(all.get(ValueLayout.JAVA_BYTE, 0)) == 0x80) {
                return LegacyCheckpoint.load(arena, all, name);
            }
            String hint = startsWith(all, 257, "ustar")
                    ? " (a tar archive: the tar format of PyTorch before 0.4 is not supported)" : "";
            throw new CheckpointException(name + ": not a PyTorch checkpoint: neither a torch.save zip archive"
                    + " nor a legacy pickle stream" + hint);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
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

    /** The bytes of the storage (or legacy storage view) the reference names, from its element 0. */
    MemorySegment bytes(StorageRef s) throws CheckpointException {
        MemorySegment raw = storages.get(s.key());
        if (raw == null) {
            throw new CheckpointException(fileName + ": storage " + s.key() + " has no data in the file");
        }
        if (verified.add(s.key())) {
            verifier.verify(s.key());
        }
        long begin = s.elementOffset() * s.dtype().byteSize();
        long need = s.byteSize();
        if (s.elementOffset() < 0 || s.numel() < 0 || begin > raw.byteSize() || need > raw.byteSize() - begin) {
            throw new CheckpointException(fileName + ": storage " + s.key() + " declares " + s.numel() + " "
                    + s.dtype() + " elements at offset " + s.elementOffset() + " but its data holds "
                    + raw.byteSize() + " bytes");
        }
        return raw.asSlice(begin, need);
    }

    @Override
    public void close() {
        arena.close();
    }
}
