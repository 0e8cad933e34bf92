package dev.jsam.convert;

import dev.jsam.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the legacy torch.save format (before PyTorch 1.6, or _use_new_zipfile_serialization=False):
 * pickles of the magic number, protocol version and sys_info, the main pickle whose persistent
 * ids are ('storage', torch.XStorage, root_key, location, numel, view_metadata), a pickle listing
 * storage keys, then per key an 8-byte little-endian element count and the raw bytes.
 * There is no checksum in this format; sizes are cross-checked instead. The tar format is not read.
 */
final class LegacyCheckpoint {
    private static final BigInteger MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long PROTOCOL_VERSION = 1001;

    private record Root(DType dtype, long numel) {
    }

    private LegacyCheckpoint() {
    }

    private static final Unpickler.PersistentLoader NO_PERSISTENT_IDS = pid -> {
        throw new CheckpointException("unexpected persistent id in a header pickle");
    };

    /** Whether the stream opens with the pickle of torch's magic number, as every legacy checkpoint does. */
    static boolean recognises(MemorySegment file, String fileName) {
        try {
            return MAGIC.equals(new Unpickler(new PickleInput(file, 0, fileName), NO_PERSISTENT_IDS).load());
        } catch (CheckpointException e) {
            return false;
        }
    }

    static Checkpoint.Contents load(MemorySegment file, String fileName) throws CheckpointException {
        PickleInput in = new PickleInput(file, 0, fileName);
        Object magic = new Unpickler(in, NO_PERSISTENT_IDS).load();
        if (!MAGIC.equals(magic)) {
            throw new CheckpointException(fileName + ": not a PyTorch checkpoint (a pickle, but without torch's magic number)");
        }
        Object protocol = new Unpickler(in, NO_PERSISTENT_IDS).load();
        if (!Long.valueOf(PROTOCOL_VERSION).equals(protocol)) {
            throw new CheckpointException(fileName + ": unsupported legacy protocol version " + protocol);
        }
        if (!(new Unpickler(in, NO_PERSISTENT_IDS).load() instanceof Map<?, ?> sysInfo)) {
            throw new CheckpointException(fileName + ": sys_info is not a dict");
        }
        if (!Boolean.TRUE.equals(sysInfo.get("little_endian"))) {
            throw new CheckpointException(fileName + ": written on a big-endian machine; only little-endian is supported");
        }
        Map<String, Root> roots = new HashMap<>();
        Object root = new Unpickler(in, pid -> storage(pid, roots)).load();
        long keysAt = in.position();
        if (!(new Unpickler(in, NO_PERSISTENT_IDS).load() instanceof List<?> keys)) {
            throw new CheckpointException(fileName + " at byte " + keysAt + ": storage key list is not a list");
        }
        Map<String, Checkpoint.Region> storages = new HashMap<>();
        long at = in.position();
        for (Object k : keys) {
            Root r = k instanceof String s ? roots.get(s) : null;
            if (r == null) {
                throw new CheckpointException(fileName + ": storage key " + k + " is listed but no tensor uses it");
            }
            if (at > file.byteSize() - 8) {
                throw new CheckpointException(fileName + ": truncated before the data of storage " + k);
            }
            long numel = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), at);
            if (numel != r.numel()) {
                throw new CheckpointException(fileName + " at byte " + at + ": storage " + k + " has " + numel
                        + " elements in the data but " + r.numel() + " in the pickle");
            }
            long bytes = numel * r.dtype().byteSize();
            if (bytes > file.byteSize() - at - 8) {
                throw new CheckpointException(fileName + ": truncated inside the data of storage " + k + " ("
                        + bytes + " bytes needed at byte " + (at + 8) + ", file is " + file.byteSize() + ")");
            }
            storages.put((String) k, new Checkpoint.Region(at + 8, bytes, -1));
            at += 8 + bytes;
        }
        if (at != file.byteSize()) {
            throw new CheckpointException(fileName + ": " + (file.byteSize() - at) + " unexpected bytes after the last storage");
        }
        return new Checkpoint.Contents("legacy torch pickle stream (pre-1.6 format)", root, storages);
    }

    private static StorageRef storage(Object pid, Map<String, Root> roots) throws CheckpointException {
        if (!(pid instanceof PyTuple t) || t.size() != 6 || !"storage".equals(t.get(0))) {
            throw new CheckpointException("unexpected persistent id " + TorchGlobals.describe(pid)
                    + " (expected ('storage', type, root_key, location, numel, view_metadata))");
        }
        DType dtype = TorchGlobals.storageDType(t.get(1));
        if (dtype == null) {
            throw new CheckpointException("unsupported storage type " + TorchGlobals.describe(t.get(1)));
        }
        if (!(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel) || numel < 0
                || numel > Long.MAX_VALUE / 8) {
            throw new CheckpointException("malformed persistent id " + t);
        }
        Root previous = roots.putIfAbsent(key, new Root(dtype, numel));
        if (previous != null && !previous.equals(new Root(dtype, numel))) {
            throw new CheckpointException("storage " + key + " is declared twice with different types or sizes");
        }
        Object view = t.get(5);
        if (view == null) {
            return new StorageRef(key, dtype, numel, 0);
        }
        if (view instanceof PyTuple v && v.size() == 3 && v.get(1) instanceof Long offset
                && v.get(2) instanceof Long size && offset >= 0 && size >= 0 && offset + size <= numel) {
            return new StorageRef(key, dtype, size, offset);
        }
        throw new CheckpointException("malformed storage view " + view + " of storage " + key + " (" + numel + " elements)");
    }
}
