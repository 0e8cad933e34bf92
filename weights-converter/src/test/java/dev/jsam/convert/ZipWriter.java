package dev.jsam.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Test helper writing zip archives the way torch.save does: STORED entries whose data start on
 * 64-byte boundaries (padding in the local extra field), optionally in zip64 form. Entry data
 * can be streamed in chunks (the CRC is patched into the local header afterwards), which the
 * large-checkpoint generator needs. It is not a general zip writer.
 */
final class ZipWriter implements AutoCloseable {
    /** Produces an entry's bytes as a sequence of buffers. */
    interface Chunks {
        void writeTo(ChunkSink sink) throws IOException;
    }

    interface ChunkSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    private record Central(String name, long crc, long size, long localOffset) {
    }

    private final FileChannel ch;
    private final boolean zip64;
    private final List<Central> central = new ArrayList<>();

    ZipWriter(FileChannel ch, boolean zip64) {
        this.ch = ch;
        this.zip64 = zip64;
    }

    void add(String name, byte[] data) throws IOException {
        add(name, sink -> sink.accept(ByteBuffer.wrap(data)));
    }

    void add(String name, Chunks chunks) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long local = ch.position();
        int fixed = 30 + nameBytes.length + (zip64 ? 20 : 0) + 4;
        int pad = (int) ((64 - (local + fixed) % 64) % 64);
        ByteBuffer h = le(fixed + pad);
        h.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0x21).putInt(0)
                .putInt(zip64 ? -1 : 0).putInt(zip64 ? -1 : 0)
                .putShort((short) nameBytes.length).putShort((short) (fixed + pad - 30 - nameBytes.length)).put(nameBytes);
        if (zip64) {
            h.putShort((short) 1).putShort((short) 16).putLong(0).putLong(0);
        }
        h.putShort((short) 0x4a50).putShort((short) pad).put(new byte[pad]);
        write(h.flip());
        long start = ch.position();
        CRC32 crc = new CRC32();
        chunks.writeTo(chunk -> {
            crc.update(chunk.duplicate());
            write(chunk);
        });
        long size = ch.position() - start;
        ByteBuffer patch = le(12).putInt((int) crc.getValue()).putInt(zip64 ? -1 : (int) size).putInt(zip64 ? -1 : (int) size);
        ch.write(patch.flip(), local + 14);
        if (zip64) {
            ch.write(le(16).putLong(size).putLong(size).flip(), local + 30 + nameBytes.length + 4);
        }
        central.add(new Central(name, crc.getValue(), size, local));
    }

    @Override
    public void close() throws IOException {
        long cdStart = ch.position();
        for (Central c : central) {
            byte[] n = c.name().getBytes(StandardCharsets.UTF_8);
            ByteBuffer b = le(46 + n.length + (zip64 ? 28 : 0));
            b.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) c.crc())
                    .putInt(zip64 ? -1 : (int) c.size()).putInt(zip64 ? -1 : (int) c.size())
                    .putShort((short) n.length).putShort((short) (zip64 ? 28 : 0)).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(zip64 ? -1 : (int) c.localOffset()).put(n);
            if (zip64) {
                b.putShort((short) 1).putShort((short) 24).putLong(c.size()).putLong(c.size()).putLong(c.localOffset());
            }
            write(b.flip());
        }
        long cdSize = ch.position() - cdStart;
        if (zip64) {
            long eocd64 = ch.position();
            write(le(56).putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(central.size()).putLong(central.size()).putLong(cdSize).putLong(cdStart).flip());
            write(le(20).putInt(0x07064b50).putInt(0).putLong(eocd64).putInt(1).flip());
        }
        int count = zip64 ? 0xffff : central.size();
        write(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count)
                .putShort((short) count).putInt(zip64 ? -1 : (int) cdSize).putInt(zip64 ? -1 : (int) cdStart)
                .putShort((short) 0).flip());
    }

    private void write(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
