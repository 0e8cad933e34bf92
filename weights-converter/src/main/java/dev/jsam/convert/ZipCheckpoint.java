package dev.jsam.convert;

import dev.jsam.tensor.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the zip format of torch.save (PyTorch 1.6+): one top folder (its name varies) holding
 * data.pkl, data/&lt;key&gt; storages and version, optionally byteorder. Persistent ids are
 * ('storage', torch.XStorage, key, location, numel); the location is ignored (all goes to CPU).
 * Big-endian archives are refused rather than byte-swapped.
 */
final class ZipCheckpoint {
    private ZipCheckpoint() {
    }

    static Checkpoint.Contents load(MemorySegment file, String fileName) throws CheckpointException {
        ZipArchive zip = ZipArchive.read(file, fileName);
        List<String> pickles = dataPickles(zip);
        if (pickles.size() != 1) {
            throw new CheckpointException(fileName + ": not a torch.save archive: expected one <folder>/data.pkl, found "
                    + (pickles.isEmpty() ? "none" : pickles));
        }
        String prefix = pickles.getFirst().substring(0, pickles.getFirst().length() - "data.pkl".length());
        String byteOrder = text(zip, prefix + "byteorder", fileName);
        if (byteOrder != null && !byteOrder.strip().equals("little")) {
            throw new CheckpointException(fileName + ": storages are stored " + byteOrder.strip()
                    + "-endian; only little-endian checkpoints are supported");
        }
        String version = text(zip, prefix + "version", fileName);

        ZipArchive.Entry pkl = zip.entries().get(pickles.getFirst());
        if (!zip.crcMatches(pkl)) {
            throw new CheckpointException(fileName + ": " + pkl.name() + " fails its CRC-32 check (corrupt file)");
        }
        Map<String, Checkpoint.Region> storages = new HashMap<>();
        PickleInput in = new PickleInput(zip.data(pkl), 0, fileName + ": " + pkl.name());
        Object root = new Unpickler(in, pid -> storage(pid, zip, prefix, storages)).load();
        if (in.position() != pkl.size()) {
            throw new CheckpointException(fileName + ": " + pkl.name() + " has "
                    + (pkl.size() - in.position()) + " bytes after STOP");
        }
        String description = "torch zip archive '" + prefix.substring(0, prefix.length() - 1) + "'"
                + (version == null ? "" : " (format version " + version.strip() + ")");
        return new Checkpoint.Contents(description, root, storages);
    }

    /**
     * Whether a mapped zip archive is laid out as torch.save writes it: one top folder holding
     * data.pkl. Reads the central directory only, not the pickle or the storages.
     */
    static boolean recognises(MemorySegment file, String fileName) {
        try {
            return dataPickles(ZipArchive.read(file, fileName)).size() == 1;
        } catch (CheckpointException e) {
            return false;
        }
    }

    /** The archive's entries named {@code <folder>/data.pkl}, directly under one top folder. */
    private static List<String> dataPickles(ZipArchive zip) {
        List<String> pickles = new ArrayList<>();
        for (String n : zip.entries().keySet()) {
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                pickles.add(n);
            }
        }
        return pickles;
    }

    private static String text(ZipArchive zip, String name, String fileName) throws CheckpointException {
        ZipArchive.Entry e = zip.entries().get(name);
        if (e == null) {
            return null;
        }
        if (e.size() > 64) {
            throw new CheckpointException(fileName + ": " + name + " is " + e.size() + " bytes, expected a short text");
        }
        return new String(zip.data(e).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private static StorageRef storage(Object pid, ZipArchive zip, String prefix, Map<String, Checkpoint.Region> storages)
            throws CheckpointException {
        if (!(pid instanceof PyTuple t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw new CheckpointException("unexpected persistent id " + TorchGlobals.describe(pid)
                    + " (expected ('storage', type, key, location, numel))");
        }
        DType dtype = TorchGlobals.storageDType(t.get(1));
        if (dtype == null) {
            throw new CheckpointException("unsupported storage type " + TorchGlobals.describe(t.get(1)));
        }
        if (!(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw new CheckpointException("malformed persistent id " + t);
        }
        ZipArchive.Entry e = zip.entries().get(prefix + "data/" + key);
        if (e == null) {
            throw new CheckpointException("storage " + key + " is missing from the archive (no " + prefix + "data/" + key + ")");
        }
        if (numel > Long.MAX_VALUE / dtype.byteSize() || numel * dtype.byteSize() != e.size()) {
            throw new CheckpointException("storage " + key + " declares " + numel + " " + dtype
                    + " elements but " + e.name() + " holds " + e.size() + " bytes");
        }
        storages.put(key, new Checkpoint.Region(e.dataOffset(), e.size(), e.crc()));
        return new StorageRef(key, dtype, numel, 0);
    }
}
