package dev.jsam.convert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Test helper assembling checkpoint files in both torch.save formats from a hand-built main
 * pickle and raw storage bytes: the zip layout (folder/data.pkl, folder/data/KEY, folder/version)
 * and the legacy stream (magic, protocol, sys_info, main pickle, key list, sized storages).
 */
final class TorchFiles {
    /** A legacy storage: its key, element count and raw little-endian bytes. */
    record Legacy(String key, long numel, byte[] data) {
    }

    private TorchFiles() {
    }

    static Path zip(Path file, String folder, byte[] pickle, Map<String, byte[]> storages, boolean zip64)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             ZipWriter z = new ZipWriter(ch, zip64)) {
            z.add(folder + "/data.pkl", pickle);
            z.add(folder + "/byteorder", "little".getBytes());
            for (Map.Entry<String, byte[]> e : storages.entrySet()) {
                z.add(folder + "/data/" + e.getKey(), e.getValue());
            }
            z.add(folder + "/version", "3\n".getBytes());
        }
        return file;
    }

    static Path zip(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        return zip(file, "archive", pickle, storages, false);
    }

    static byte[] legacyBytes(byte[] mainPickle, List<Legacy> storages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PickleBuilder().proto(2).long1(new BigInteger("1950a86a20f9469cfc6c", 16)).stop().bytes());
        out.writeBytes(new PickleBuilder().proto(2).integer(1001).stop().bytes());
        out.writeBytes(new PickleBuilder().proto(2).emptyDict().mark()
                .str("protocol_version").integer(1001).str("little_endian").bool(true)
                .str("type_sizes").emptyDict().mark().str("short").integer(2).str("int").integer(4)
                .str("long").integer(4).setItems().setItems().stop().bytes());
        out.writeBytes(mainPickle);
        PickleBuilder keys = new PickleBuilder().proto(2).emptyList().mark();
        for (Legacy s : storages) {
            keys.str(s.key());
        }
        out.writeBytes(keys.op('e').stop().bytes());
        for (Legacy s : storages) {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(s.numel()).array());
            out.writeBytes(s.data());
        }
        return out.toByteArray();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    /** 0, 1, 2, ... n-1 as float32 bytes. */
    static byte[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        return floats(v);
    }
}
