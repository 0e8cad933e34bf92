package dev.jsam.convert;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A read-only zip central-directory reader over a memory-mapped file (zip64 included), made
 * for torch.save archives: entries must be STORED (uncompressed), and their data is returned
 * as zero-copy slices of the mapping, so storages of any size stream without being loaded.
 * Compressed or encrypted entries and multi-disk archives are refused.
 */
final class ZipArchive {
    /** One stored entry: its name, CRC-32 and where its bytes lie in the file. */
    record Entry(String name, long crc, long size, long dataOffset) {
    }

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int EOCD = 0x06054b50;
    private static final int EOCD64 = 0x06064b50;
    private static final int EOCD64_LOCATOR = 0x07064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    private final MemorySegment file;
    private final String fileName;
    private Map<String, Entry> entries;

    private ZipArchive(MemorySegment file, String fileName) {
        this.file = file;
        this.fileName = fileName;
    }

    /** Reads and checks the central directory and every local header. */
    static ZipArchive read(MemorySegment file, String fileName) throws CheckpointException {
        ZipArchive z = new ZipArchive(file, fileName);
        z.entries = Collections.unmodifiableMap(z.readDirectory());
        return z;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** The entry's bytes, a slice of the mapping. */
    MemorySegment data(Entry e) {
        return file.asSlice(e.dataOffset(), e.size());
    }

    /** Whether the entry's bytes match its recorded CRC-32 (reads them all once). */
    boolean crcMatches(Entry e) {
        CRC32 crc = new CRC32();
        MemorySegment d = data(e);
        long chunk = 1 << 26;
        for (long off = 0; off < d.byteSize(); off += chunk) {
            crc.update(d.asSlice(off, Math.min(chunk, d.byteSize() - off)).asByteBuffer());
        }
        return crc.getValue() == e.crc();
    }

    private CheckpointException bad(String what) {
        return new CheckpointException(fileName + ": corrupt zip archive: " + what);
    }

    private int u16(long at) throws CheckpointException {
        check(at, 2);
        return Short.toUnsignedInt(file.get(U16, at));
    }

    private long u32(long at) throws CheckpointException {
        check(at, 4);
        return Integer.toUnsignedLong(file.get(U32, at));
    }

    private long u64(long at) throws CheckpointException {
        check(at, 8);
        long v = file.get(U64, at);
        if (v < 0) {
            throw bad("64-bit field at byte " + at + " is out of range");
        }
        return v;
    }

    private void check(long at, long n) throws CheckpointException {
        if (at < 0 || at > file.byteSize() - n) {
            throw bad("record at byte " + at + " lies beyond the end of the file (truncated?)");
        }
    }

    private Map<String, Entry> readDirectory() throws CheckpointException {
        long eocd = findEocd();
        long count = u16(eocd + 10);
        long cdOffset = u32(eocd + 16);
        if (u16(eocd + 4) != 0 || u16(eocd + 6) != 0) {
            throw bad("multi-disk archives are not supported");
        }
        if (count == 0xffff || cdOffset == 0xffffffffL) {
            long locator = eocd - 20;
            if (locator < 0 || u32(locator) != EOCD64_LOCATOR) {
                throw bad("zip64 end record locator missing");
            }
            long eocd64 = u64(locator + 8);
            if (u32(eocd64) != EOCD64) {
                throw bad("zip64 end record missing at byte " + eocd64);
            }
            count = u64(eocd64 + 32);
            cdOffset = u64(eocd64 + 48);
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        long at = cdOffset;
        for (long i = 0; i < count; i++) {
            if (u32(at) != CENTRAL) {
                throw bad("central directory entry " + i + " at byte " + at + " has a bad signature");
            }
            Entry e = centralEntry(at);
            if (out.put(e.name(), e) != null) {
                throw bad("entry " + e.name() + " appears twice");
            }
            at += 46 + u16(at + 28) + u16(at + 30) + u16(at + 32);
        }
        return out;
    }

    private long findEocd() throws CheckpointException {
        long size = file.byteSize();
        long lowest = Math.max(0, size - 22 - 65535);
        for (long at = size - 22; at >= lowest; at--) {
            if (file.get(U32, at) == EOCD && at + 22 + u16(at + 20) == size) {
                return at;
            }
        }
        throw bad("no end-of-central-directory record (not a zip file, or truncated)");
    }

    private Entry centralEntry(long at) throws CheckpointException {
        int flags = u16(at + 8);
        int method = u16(at + 10);
        long crc = u32(at + 16);
        long csize = u32(at + 20);
        long usize = u32(at + 24);
        int nameLen = u16(at + 28);
        int extraLen = u16(at + 30);
        long local = u32(at + 42);
        check(at + 46, nameLen + extraLen);
        byte[] nameBytes = file.asSlice(at + 46, nameLen).toArray(ValueLayout.JAVA_BYTE);
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        long extra = at + 46 + nameLen;
        for (long p = extra; p + 4 <= extra + extraLen; p += 4 + u16(p + 2)) {
            if (u16(p) == 0x0001) {
                long q = p + 4;
                if (usize == 0xffffffffL) {
                    usize = u64(q);
                    q += 8;
                }
                if (csize == 0xffffffffL) {
                    csize = u64(q);
                    q += 8;
                }
                if (local == 0xffffffffL) {
                    local = u64(q);
                }
            }
        }
        if ((flags & 1) != 0) {
            throw bad("entry " + name + " is encrypted");
        }
        if (method != 0) {
            throw bad("entry " + name + " is compressed (method " + method
                    + "); torch.save writes stored entries, so re-zipped files are not supported");
        }
        if (csize != usize) {
            throw bad("stored entry " + name + " has compressed size " + csize + " but size " + usize);
        }
        if (u32(local) != LOCAL) {
            throw bad("local header of " + name + " at byte " + local + " has a bad signature");
        }
        int localName = u16(local + 26);
        long dataOffset = local + 30 + localName + u16(local + 28);
        check(local + 30, localName);
        if (!name.equals(new String(file.asSlice(local + 30, localName).toArray(ValueLayout.JAVA_BYTE),
                StandardCharsets.UTF_8))) {
            throw bad("local header at byte " + local + " does not name " + name);
        }
        if (dataOffset > file.byteSize() || usize > file.byteSize() - dataOffset) {
            throw bad("data of " + name + " (" + usize + " bytes at " + dataOffset
                    + ") lies beyond the end of the file (truncated?)");
        }
        return new Entry(name, crc, usize, dataOffset);
    }
}
