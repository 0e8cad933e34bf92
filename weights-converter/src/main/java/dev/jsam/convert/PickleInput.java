package dev.jsam.convert;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reads from a pickle held in a MemorySegment (a mapped file or a
 * byte array), with a position that the unpickler advances. Every read past the end becomes a
 * CheckpointException naming the source and offset; lengths are checked before allocating.
 */
final class PickleInput {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final MemorySegment data;
    private final String source;
    private long pos;

    PickleInput(MemorySegment data, long start, String source) {
        this.data = data;
        this.pos = start;
        this.source = source;
    }

    long position() {
        return pos;
    }

    String source() {
        return source;
    }

    CheckpointException error(long at, String what) {
        return new CheckpointException(source + " at byte " + at + ": " + what);
    }

    private long need(long n) throws CheckpointException {
        if (n < 0 || n > data.byteSize() - pos) {
            throw error(pos, "truncated pickle (needs " + n + " more bytes, " + (data.byteSize() - pos) + " left)");
        }
        long at = pos;
        pos += n;
        return at;
    }

    int u8() throws CheckpointException {
        return Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, need(1)));
    }

    int u16() throws CheckpointException {
        return Short.toUnsignedInt(data.get(U16, need(2)));
    }

    int i32() throws CheckpointException {
        return data.get(I32, need(4));
    }

    long u32() throws CheckpointException {
        return Integer.toUnsignedLong(i32());
    }

    long i64() throws CheckpointException {
        return data.get(I64, need(8));
    }

    double f64BigEndian() throws CheckpointException {
        return data.get(F64_BE, need(8));
    }

    byte[] bytes(long n) throws CheckpointException {
        if (n > Integer.MAX_VALUE - 16) {
            throw error(pos, "byte string of " + n + " bytes is too long");
        }
        return data.asSlice(need(n), n).toArray(ValueLayout.JAVA_BYTE);
    }

    String utf8(long n) throws CheckpointException {
        long at = pos;
        byte[] b = bytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw error(at, "string is not valid UTF-8");
        }
    }

    /** A text line up to '\n' (for GLOBAL), ASCII only, at most 256 bytes. */
    String line() throws CheckpointException {
        long at = pos;
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = u8();
            if (c == '\n') {
                return sb.toString();
            }
            if (c < 0x20 || c > 0x7e || sb.length() > 256) {
                throw error(at, "malformed GLOBAL name");
            }
            sb.append((char) c);
        }
    }

    void skip(long n) throws CheckpointException {
        need(n);
    }
}
