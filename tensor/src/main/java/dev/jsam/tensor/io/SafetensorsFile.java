package dev.jsam.tensor.io;

import dev.jsam.tensor.DType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only, memory-mapped safetensors file whose header has been validated in full: sizes,
 * dtypes, shapes, offsets inside the data section and no overlaps. Tensor data are zero-copy
 * little-endian slices of the mapping, valid as long as they are referenced ({@link #open(Path)})
 * or until the caller's arena closes ({@link #open(Path, Arena)}). It does not convert dtypes or
 * build tensors; that is for the caller. Immutable, so thread-safe; reading the data from several
 * threads is fine, closing the caller's arena while one reads makes that read fail.
 */
public final class SafetensorsFile {
    /** Headers larger than this are refused as corrupt rather than read into memory. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    /** One tensor: its name, dtype, shape and raw little-endian bytes (a slice of the mapping). */
    public record Entry(String name, DType dtype, int[] shape, MemorySegment data) {
        /** Number of elements, the product of the shape (1 for a scalar). */
        public long numel() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path path;
    private final Map<String, String> metadata;
    private final Map<String, Entry> entries;
    private final long dataBytes;

    private SafetensorsFile(Path path, Map<String, String> metadata, Map<String, Entry> entries, long dataBytes) {
        this.path = path;
        this.metadata = metadata;
        this.entries = entries;
        this.dataBytes = dataBytes;
    }

    /**
     * Maps and validates a safetensors file; the mapping is released once nothing references it
     * (when the garbage collector finds out).
     *
     * @throws SafetensorsException if the file is not a well-formed safetensors file
     * @throws IOException          if it cannot be read
     */
    public static SafetensorsFile open(Path file) throws IOException {
        return open(file, Arena.ofAuto());
    }

    /**
     * Maps and validates a safetensors file in the caller's arena: the mapping, and every entry's
     * data, is released when that arena closes, and must not be read after.
     *
     * @throws SafetensorsException if the file is not a well-formed safetensors file
     * @throws IOException          if it cannot be read
     */
    public static SafetensorsFile open(Path file, Arena arena) throws IOException {
        MemorySegment all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw fail(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        }
        long size = all.byteSize();
        long headerLen = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLen < 0 || headerLen > MAX_HEADER_BYTES) {
            throw fail(file, "header length " + Long.toUnsignedString(headerLen)
                    + " is beyond the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLen > size - 8) {
            throw fail(file, "header length " + headerLen + " exceeds the " + (size - 8)
                    + " bytes that follow it (truncated file?)");
        }
        String headerText = decodeUtf8(file, all.asSlice(8, headerLen).toArray(ValueLayout.JAVA_BYTE));
        Object parsed;
        try {
            parsed = Json.parse(headerText);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file + ": header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> header)) {
            throw fail(file, "header is not a JSON object");
        }
        MemorySegment data = all.asSlice(8 + headerLen);
        Map<String, String> metadata = Map.of();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = parseMetadata(file, e.getValue());
            } else {
                entries.put(name, parseEntry(file, name, e.getValue(), data));
            }
        }
        checkNoOverlap(file, header);
        return new SafetensorsFile(file, metadata, Collections.unmodifiableMap(entries), data.byteSize());
    }

    /**
     * Whether the file opens the way a safetensors file does: an 8-byte little-endian header length
     * that fits in the file (at least "{}"), then '{'. Decided by reading those 9 bytes, not by the
     * name; the header itself is validated only by {@link #open}. A PyTorch checkpoint does not pass
     * (its first 8 bytes read as a length far beyond its size), while a safetensors file may start
     * with 0x80, a pickle's first byte (one in 32 that jsam writes), or with "PK", a zip's.
     */
    public static boolean isSafetensors(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining()) {
                if (ch.read(head) < 0) {
                    return false;
                }
            }
            long headerLen = head.getLong(0);
            return headerLen >= 2 && headerLen <= Math.min(MAX_HEADER_BYTES, ch.size() - 8) && head.get(8) == '{';
        }
    }

    private static String decodeUtf8(Path file, byte[] bytes) throws SafetensorsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file + ": header is not valid UTF-8", e);
        }
    }

    private static Map<String, String> parseMetadata(Path file, Object value) throws SafetensorsException {
        if (!(value instanceof Map<?, ?> map)) {
            throw fail(file, "__metadata__ is not a JSON object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw fail(file, "__metadata__ value of \"" + e.getKey() + "\" is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Entry parseEntry(Path file, String name, Object value, MemorySegment data)
            throws SafetensorsException {
        if (!(value instanceof Map<?, ?> fields)) {
            throw fail(file, name, "entry is not a JSON object");
        }
        for (Object field : fields.keySet()) {
            if (!ENTRY_FIELDS.contains(field)) {
                throw fail(file, name, "unknown field \"" + field + "\"");
            }
        }
        for (String field : ENTRY_FIELDS) {
            if (!fields.containsKey(field)) {
                throw fail(file, name, "missing field \"" + field + "\"");
            }
        }
        if (!(fields.get("dtype") instanceof String dtypeName)) {
            throw fail(file, name, "dtype is not a string");
        }
        DType dtype;
        try {
            dtype = DType.fromSafetensorsName(dtypeName);
        } catch (IllegalArgumentException e) {
            throw fail(file, name, "unknown dtype \"" + dtypeName + "\"");
        }
        long[] dims = longList(file, name, "shape", fields.get("shape"));
        long[] offsets = longList(file, name, "data_offsets", fields.get("data_offsets"));
        if (offsets.length != 2) {
            throw fail(file, name, "data_offsets has " + offsets.length + " numbers, expected [begin, end]");
        }
        int[] shape = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw fail(file, name, "dimension " + i + " of shape " + Arrays.toString(dims)
                        + " does not fit in an int");
            }
            shape[i] = (int) dims[i];
            numel = multiply(file, name, numel, dims[i]);
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw fail(file, name, "data_offsets [" + begin + ", " + end + "] has begin after end");
        }
        long expected = multiply(file, name, numel, dtype.byteSize());
        if (end - begin != expected) {
            throw fail(file, name, "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + Arrays.toString(dims) + " of " + dtype + " needs " + expected);
        }
        if (end > data.byteSize()) {
            throw fail(file, name, "data_offsets [" + begin + ", " + end + "] reach beyond the data section of "
                    + data.byteSize() + " bytes (truncated file?)");
        }
        return new Entry(name, dtype, shape, data.asSlice(begin, end - begin));
    }

    private static long[] longList(Path file, String name, String field, Object value) throws SafetensorsException {
        if (!(value instanceof List<?> list)) {
            throw fail(file, name, field + " is not a JSON array");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long v) || v < 0) {
                throw fail(file, name, field + " holds " + list.get(i) + ", not a non-negative integer");
            }
            out[i] = v;
        }
        return out;
    }

    private static long multiply(Path file, String name, long a, long b) throws SafetensorsException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw fail(file, name, "size overflows a 64-bit count");
        }
    }

    private static void checkNoOverlap(Path file, Map<?, ?> header) throws SafetensorsException {
        List<long[]> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<?, ?> e : header.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                continue;
            }
            List<?> offs = (List<?>) ((Map<?, ?>) e.getValue()).get("data_offsets");
            long begin = (Long) offs.get(0);
            long end = (Long) offs.get(1);
            if (end > begin) {
                ranges.add(new long[] {begin, end, names.size()});
                names.add((String) e.getKey());
            }
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        for (int i = 1; i < ranges.size(); i++) {
            long[] prev = ranges.get(i - 1);
            long[] cur = ranges.get(i);
            if (cur[0] < prev[1]) {
                throw fail(file, names.get((int) cur[2]), "data_offsets [" + cur[0] + ", " + cur[1]
                        + "] overlap those of \"" + names.get((int) prev[2]) + "\" [" + prev[0] + ", " + prev[1] + "]");
            }
        }
    }

    private static SafetensorsException fail(Path file, String what) {
        return new SafetensorsException(file + ": " + what);
    }

    private static SafetensorsException fail(Path file, String tensor, String what) {
        return new SafetensorsException(file + ": tensor \"" + tensor + "\": " + what);
    }

    /** The file this was opened from. */
    public Path path() {
        return path;
    }

    /** The {@code __metadata__} string map (empty if the header has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in the order the header lists them. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** Whether a tensor of that name exists. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * The named tensor.
     *
     * @throws SafetensorsException naming the file and the key when there is no such tensor
     */
    public Entry get(String name) throws SafetensorsException {
        Entry e = entries.get(name);
        if (e == null) {
            throw fail(path, name, "no such tensor in the file (" + entries.size() + " tensors)");
        }
        return e;
    }

    /** Size of the data section (everything after the header), in bytes. */
    public long dataBytes() {
        return dataBytes;
    }
}
