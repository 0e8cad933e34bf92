package dev.jsam.tensor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the safetensors reader, which maps checkpoints and embeddings from disk: any file opens
 * (and then every tensor's bytes are exactly its shape times its dtype, readable to the end) or is
 * an IOException (SafetensorsException for a malformed file), never another exception, an
 * out-of-memory or a hang.
 */
class SafetensorsFuzzTest {
    private static final Path FILE = tempFile();

    @FuzzTest
    void opensOrRefuses(byte[] input) throws IOException {
        Files.write(FILE, input);
        SafetensorsFile f;
        try {
            f = SafetensorsFile.open(FILE);
        } catch (IOException declared) {
            return;
        }
        for (String name : f.names()) {
            SafetensorsFile.Entry e = f.get(name);
            assertEquals(e.numel() * e.dtype().byteSize(), e.data().byteSize(), name);
            if (e.data().byteSize() > 0) {
                e.data().get(ValueLayout.JAVA_BYTE, e.data().byteSize() - 1);
            }
        }
    }

    private static Path tempFile() {
        try {
            Path p = Files.createTempFile("jsam-fuzz-", ".safetensors");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
