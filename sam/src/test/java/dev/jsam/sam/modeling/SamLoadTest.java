package dev.jsam.sam.modeling;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.Golden;
import dev.jsam.tensor.io.CheckpointConverter;
import dev.jsam.tensor.io.SafetensorsException;
import dev.jsam.tensor.io.SafetensorsFile;
import dev.jsam.tensor.io.SafetensorsWriter;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sam.load tells formats apart by parsing: safetensors files load whatever their first bytes
 * (0x80 like a pickle, "PK" like a zip), a .pth loads through the converter service (on this test
 * class path) via a temporary file that never outlives the call, and without a converter the error
 * says how to convert, naming an output with its extension replaced.
 */
class SamLoadTest {
    static final Path TINY = Golden.testdata("golden/tiny/sam_tiny.safetensors");
    static CpuBackend backend;
    static Sam reference;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() throws IOException {
        backend = CpuBackend.create(2);
        reference = Sam.load(TINY, backend);
    }

    @AfterAll
    static void close() {
        reference.close();
        backend.close();
    }

    private static List<CheckpointConverter> converters() {
        List<CheckpointConverter> found = new ArrayList<>();
        ServiceLoader.load(CheckpointConverter.class).forEach(found::add);
        assertEquals(1, found.size(), "the converter is on the test class path");
        return found;
    }

    @Test
    void pthFilesLoadThroughTheConverterAndLeaveNoTemporaryFile() throws IOException {
        Path conversions = Files.createDirectory(tmp.resolve("conversions"));
        for (String pth : new String[] {"sam_tiny.pth", "sam_tiny_legacy.pth"}) {
            try (Sam sam = CheckpointLoader.load(Golden.testdata("golden/tiny/" + pth), backend, false, converters(),
                    conversions)) {
                assertEquals(reference.id(), sam.id(), pth + " holds the same weights");
                assertEquals(List.of(), list(conversions), "deleted while mapped");
            }
        }
        try (Sam fp16 = Sam.load(Golden.testdata("golden/tiny/sam_tiny_fp16.pth"), backend)) {
            assertFalse(fp16.id().equals(reference.id()), "F16 weights are another model");
        }
    }

    @Test
    void aFailedConversionLeavesNoTemporaryFile() throws IOException {
        Path conversions = Files.createDirectory(tmp.resolve("conversions"));
        byte[] bad = Files.readAllBytes(Golden.testdata("golden/tiny/sam_tiny.pth"));
        bad[bad.length / 3] ^= 0x55; // inside a storage: its CRC-32 fails
        Path corrupt = Files.write(tmp.resolve("corrupt.pth"), bad);
        IOException e = assertThrows(IOException.class,
                () -> CheckpointLoader.load(corrupt, backend, false, converters(), conversions));
        assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
        assertEquals(List.of(), list(conversions));
    }

    @Test
    void oneMappedCheckpointServesManyModelsAndLeavesNoTemporaryFile() throws IOException {
        Path conversions = Files.createDirectory(tmp.resolve("conversions"));
        try (Arena arena = Arena.ofShared()) {
            SafetensorsFile converted = CheckpointLoader.map(Golden.testdata("golden/tiny/sam_tiny.pth"), converters(),
                    conversions, arena);
            assertEquals(List.of(), list(conversions), "deleted once mapped");
            for (SafetensorsFile file : List.of(converted, Sam.mapCheckpoint(TINY, arena))) {
                for (int model = 0; model < 2; model++) {
                    Sam sam = Sam.fromSource(new SafetensorsSource(file, backend), backend);
                    assertEquals(reference.id(), sam.id());
                }
            }
        }
        byte[] bad = Files.readAllBytes(Golden.testdata("golden/tiny/sam_tiny.pth"));
        bad[bad.length / 3] ^= 0x55;
        Path corrupt = Files.write(tmp.resolve("corrupt.pth"), bad);
        try (Arena arena = Arena.ofConfined()) {
            IOException e = assertThrows(IOException.class, () -> CheckpointLoader.map(corrupt, converters(), conversions, arena));
            assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
            assertEquals(List.of(), list(conversions), "a failed conversion leaves nothing");
            assertThrows(NoSuchFileException.class, () -> Sam.mapCheckpoint(tmp.resolve("none.pth"), arena));
        }
    }

    @Test
    void safetensorsStartingLikeAPickleOrAZipLoadWithoutAConverter() throws IOException {
        Path pickleLike = rewrittenWithHeaderLength(tmp.resolve("a.safetensors"), 0x80, 0xFF);
        Path zipLike = rewrittenWithHeaderLength(tmp.resolve("b.safetensors"), 0x4B50, 0xFFFF);
        assertEquals((byte) 0x80, Files.readAllBytes(pickleLike)[0]);
        assertEquals("PK", new String(Files.readAllBytes(zipLike), 0, 2, java.nio.charset.StandardCharsets.US_ASCII));
        for (Path p : List.of(pickleLike, zipLike)) {
            try (Sam sam = CheckpointLoader.load(p, backend, false, List.of(), null)) {
                assertEquals(reference.id(), sam.id(), p.toString());
            }
        }
    }

    @Test
    void withoutAConverterTheErrorSaysHowToConvert() throws IOException {
        Path pth = Files.copy(Golden.testdata("golden/tiny/sam_tiny.pth"), tmp.resolve("model.v1.pth"));
        Path bare = Files.copy(pth, tmp.resolve("weights"));
        assertConvertHint(pth, tmp.resolve("model.v1.safetensors"));
        assertConvertHint(bare, tmp.resolve("weights.safetensors"));
    }

    private static void assertConvertHint(Path checkpoint, Path suggested) {
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> CheckpointLoader.load(checkpoint, backend, false, List.of(), null));
        assertTrue(e.getMessage().contains("sam convert " + checkpoint + " " + suggested + " "), e.getMessage());
        assertTrue(e.getMessage().contains("jsam-weights-converter"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void otherFilesAreRefusedWithTheReason() throws IOException {
        Path png = Golden.testdata("images/dog.png");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Sam.load(png, backend));
        assertEquals(png + " is neither a safetensors file nor a PyTorch .pth checkpoint", e.getMessage());
        Path cut = Files.write(tmp.resolve("cut.safetensors"), java.util.Arrays.copyOf(Files.readAllBytes(TINY), 100));
        SafetensorsException s = assertThrows(SafetensorsException.class, () -> Sam.load(cut, backend));
        assertTrue(s.getMessage().contains("exceeds the 92 bytes that follow it"), s.getMessage());
        assertThrows(SafetensorsException.class, () -> CheckpointLoader.load(cut, backend, false, List.of(), null));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> Sam.load(tmp.resolve("nope"), backend));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    }

    /** The tiny model rewritten with metadata padding so that (header length & mask) == want. */
    private static Path rewrittenWithHeaderLength(Path out, int want, int mask) throws IOException {
        SafetensorsFile src = SafetensorsFile.open(TINY);
        List<SafetensorsFile.Entry> entries = new ArrayList<>();
        for (String n : src.names()) {
            entries.add(src.get(n));
        }
        SafetensorsWriter.write(out, Map.of("pad", ""), entries);
        long measured = headerLength(out);
        int pad = (int) (((want - measured) % (mask + 1) + mask + 1) % (mask + 1)); // a multiple of 8, as both are
        SafetensorsWriter.write(out, Map.of("pad", "x".repeat(pad)), entries);
        assertEquals(want, headerLength(out) & mask);
        return out;
    }

    private static long headerLength(Path file) throws IOException {
        byte[] head = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertEquals(8, in.readNBytes(head, 0, 8));
        }
        return ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static List<Path> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
