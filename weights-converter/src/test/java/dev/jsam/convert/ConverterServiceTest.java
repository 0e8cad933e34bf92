package dev.jsam.convert;

import dev.jsam.tensor.io.CheckpointConverter;
import dev.jsam.tensor.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The converter as a ServiceLoader service: found on the class path, recognises both .pth formats
 * by structure (and nothing else, however it starts), converts bit-exactly, and leaves the output
 * as it was when the conversion fails.
 */
class ConverterServiceTest {
    static final Path TINY = Path.of(System.getProperty("jsam.testdata", "../testdata"), "golden", "tiny");

    @TempDir
    Path dir;

    private static CheckpointConverter service() {
        List<CheckpointConverter> found = ServiceLoader.load(CheckpointConverter.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(1, found.size(), "providers: " + found);
        assertTrue(found.getFirst() instanceof PthCheckpointConverter);
        return found.getFirst();
    }

    @Test
    void recognisesTorchZipAndLegacyFilesOnly() throws IOException {
        CheckpointConverter c = service();
        for (String pth : new String[] {"sam_tiny.pth", "sam_tiny_legacy.pth", "sam_tiny_fp16.pth"}) {
            assertTrue(c.recognises(TINY.resolve(pth)), pth);
        }
        assertFalse(c.recognises(TINY.resolve("sam_tiny.safetensors")));
        Path plainZip = dir.resolve("plain.zip");
        try (FileChannel ch = FileChannel.open(plainZip, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ZipWriter z = new ZipWriter(ch, false)) {
            z.add("archive/data.txt", new byte[3]);
        }
        assertFalse(c.recognises(plainZip), "a zip without <folder>/data.pkl");
        assertFalse(c.recognises(write("pickle.pkl", new byte[] {(byte) 0x80, 2, 'K', 7, '.'})),
                "a pickle of something other than torch's magic number");
        byte[] zip = Files.readAllBytes(TINY.resolve("sam_tiny.pth"));
        assertFalse(c.recognises(write("cut.pth", Arrays.copyOf(zip, zip.length / 2))), "a zip without its directory");
        assertFalse(c.recognises(write("empty.pth", new byte[0])));
    }

    @Test
    void convertsBitExactly() throws IOException {
        Path out = dir.resolve("tiny.safetensors");
        service().convert(TINY.resolve("sam_tiny_legacy.pth"), out);
        SafetensorsFile golden = SafetensorsFile.open(TINY.resolve("sam_tiny.safetensors"));
        SafetensorsFile got = SafetensorsFile.open(out);
        assertEquals(golden.names(), got.names());
        for (String n : golden.names()) {
            assertArrayEquals(golden.get(n).data().toArray(ValueLayout.JAVA_BYTE),
                    got.get(n).data().toArray(ValueLayout.JAVA_BYTE), n);
        }
    }

    @Test
    void aFailedConversionLeavesTheOutputAsItWas() throws IOException {
        byte[] bad = Files.readAllBytes(TINY.resolve("sam_tiny.pth"));
        bad[bad.length / 3] ^= 0x55; // inside a storage: its CRC-32 no longer matches
        Path corrupt = write("corrupt.pth", bad);
        Path out = write("out.safetensors", new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class, () -> service().convert(corrupt, out));
        assertTrue(e.getMessage().contains("corrupt.pth"), e.getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(out));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("corrupt.pth", "out.safetensors"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
