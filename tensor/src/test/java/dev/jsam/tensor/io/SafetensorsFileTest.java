package dev.jsam.tensor.io;

import dev.jsam.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the golden files, and refusing corrupted or inconsistent files with a useful message. */
class SafetensorsFileTest {
    static final Path GOLDEN = Path.of(System.getProperty("jsam.testdata", "../testdata"), "golden");

    @TempDir
    Path dir;

    @Test
    void readsTheTinyModel() throws IOException {
        SafetensorsFile f = SafetensorsFile.open(GOLDEN.resolve("tiny/sam_tiny.safetensors"));
        assertEquals(Map.of("format", "pt"), f.metadata());
        SafetensorsFile.Entry pe = f.get("image_encoder.patch_embed.proj.weight");
        assertEquals(DType.F32, pe.dtype());
        assertArrayEquals(new int[] {72, 3, 16, 16}, pe.shape());
        assertEquals(72 * 3 * 16 * 16 * 4L, pe.data().byteSize());
        assertEquals(203 - 1, f.names().size());
        List<String> sorted = f.names().stream().sorted().toList();
        assertEquals(sorted, f.names());
        long total = 0;
        for (String n : f.names()) {
            total += f.get(n).data().byteSize();
        }
        assertEquals(f.dataBytes(), total);
        assertTrue(f.contains("mask_decoder.iou_token.weight"));
        assertFalse(f.contains("nope"));
    }

    @Test
    void readsEveryGoldenFile() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(GOLDEN)) {
            files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
        }
        assertTrue(files.size() >= 5, files.toString());
        for (Path p : files) {
            SafetensorsFile f = SafetensorsFile.open(p);
            assertFalse(f.names().isEmpty(), p.toString());
            for (String n : f.names()) {
                SafetensorsFile.Entry e = f.get(n);
                assertEquals(e.numel() * e.dtype().byteSize(), e.data().byteSize(), n);
            }
        }
        SafetensorsFile dog = SafetensorsFile.open(GOLDEN.resolve("tiny/dog.safetensors"));
        assertEquals("1.13.0a0", dog.metadata().get("torch"));
        SafetensorsFile.Entry img = dog.get("input_image");
        assertEquals(DType.U8, img.dtype());
        assertEquals(3, img.shape()[2]);
        assertEquals(1024, Math.max(img.shape()[0], img.shape()[1]));
        SafetensorsFile.Entry boxes = dog.get("batched_boxes.boxes");
        assertArrayEquals(new int[] {3, 4}, boxes.shape());
    }

    @Test
    void exposesLittleEndianZeroCopyData() throws IOException {
        Path p = raw("{\"x\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 1, 0, 0, 0, 2, 1, 0, 0);
        SafetensorsFile.Entry e = SafetensorsFile.open(p).get("x");
        assertEquals(1, e.data().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
        assertEquals(258, e.data().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4));
        assertTrue(e.data().isReadOnly());
        assertTrue(e.data().isMapped());
    }

    @Test
    void acceptsScalarsAndEmptyTensors() throws IOException {
        Path p = raw("{\"s\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[4,4]}}", 0, 0, (byte) 0x80, 0x3f);
        SafetensorsFile f = SafetensorsFile.open(p);
        assertEquals(List.of("s", "e"), f.names());
        assertEquals(1, f.get("s").numel());
        assertEquals(0, f.get("e").data().byteSize());
        assertEquals(Map.of(), f.metadata());
    }

    @Test
    void refusesTruncatedFiles() throws IOException {
        byte[] good = Files.readAllBytes(GOLDEN.resolve("tiny/sam_tiny.safetensors"));
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(good, good.length - 1));
        assertRefused(cut, "reach beyond the data section", "cut.safetensors", "tensor \"");
        Files.write(cut, Arrays.copyOf(good, 100));
        assertRefused(cut, "exceeds the 92 bytes that follow it");
        Files.write(cut, Arrays.copyOf(good, 5));
        assertRefused(cut, "shorter than the 8-byte header length");
    }

    @Test
    void refusesAbsurdHeaderLength() throws IOException {
        Path p = dir.resolve("big.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).put("{}      ".getBytes());
        Files.write(p, b.array());
        assertRefused(p, "beyond the limit");
        b.clear();
        b.putLong(-1L);
        Files.write(p, b.array());
        assertRefused(p, "header length 18446744073709551615");
    }

    @Test
    void refusesBadHeaders() throws IOException {
        assertRefused(raw("not json"), "header is not valid JSON", "1:1");
        assertRefused(raw("[1,2]"), "header is not a JSON object");
        assertRefused(raw("{\"a\":1}"), "tensor \"a\": entry is not a JSON object");
        assertRefused(rawBytes(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}), "not valid UTF-8");
        assertRefused(raw("{\"__metadata__\":{\"k\":1}}"), "__metadata__ value of \"k\" is not a string");
        assertRefused(raw("{\"__metadata__\":[]}"), "__metadata__ is not a JSON object");
    }

    @Test
    void refusesBadEntries() throws IOException {
        assertRefused(entry("\"dtype\":\"F31\",\"shape\":[1],\"data_offsets\":[0,4]"), "tensor \"t\"", "unknown dtype \"F31\"");
        assertRefused(entry("\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]"), "dtype is not a string");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]"),
                "span 4 bytes but shape [2] of F32 needs 8");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]"), "not a non-negative integer");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[1.0],\"data_offsets\":[0,4]"), "not a non-negative integer");
        assertRefused(entry("\"dtype\":\"U8\",\"shape\":[4294967296],\"data_offsets\":[0,4]"), "does not fit in an int");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]"), "begin after end");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]"), "expected [begin, end]");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]"), "reach beyond the data section of 8");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[1]"), "missing field \"data_offsets\"");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":0"), "unknown field \"x\"");
        assertRefused(entry("\"dtype\":\"F32\",\"shape\":[65536,65536,65536,65536],\"data_offsets\":[0,4]"), "overflows");
    }

    @Test
    void refusesOverlappingRanges() throws IOException {
        Path p = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[2,6]}}", 0, 0, 0, 0, 0, 0, 0, 0);
        assertRefused(p, "tensor \"b\"", "overlap those of \"a\" [0, 4]");
    }

    @Test
    void missingKeyNamesFileAndKey() throws IOException {
        SafetensorsFile f = SafetensorsFile.open(GOLDEN.resolve("tiny/sam_tiny.safetensors"));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> f.get("image_encoder.nope"));
        assertTrue(e.getMessage().contains("sam_tiny.safetensors"), e.getMessage());
        assertTrue(e.getMessage().contains("\"image_encoder.nope\""), e.getMessage());
    }

    private Path entry(String fields) throws IOException {
        return raw("{\"t\":{" + fields + "}}", 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private Path raw(String header, int... data) throws IOException {
        byte[] d = new byte[data.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) data[i];
        }
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] all = ByteBuffer.allocate(8 + h.length + d.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(d).array();
        return rawBytesFile(all);
    }

    private Path rawBytes(byte[] header) throws IOException {
        byte[] all = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).array();
        return rawBytesFile(all);
    }

    private int counter;

    private Path rawBytesFile(byte[] all) throws IOException {
        Path p = dir.resolve("case" + (counter++) + ".safetensors");
        Files.write(p, all);
        return p;
    }

    private static void assertRefused(Path p, String... fragments) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsFile.open(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected \"" + f + "\" in: " + e.getMessage());
        }
    }
}
