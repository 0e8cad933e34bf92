package dev.jsam.sam.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes image reading (the JDK's decoders behind jsam's checks, and jsam's own metadata
 * handling): any file is read into an RGB image within the pixel limit, or is an IOException
 * (ImageTooLargeException past the limit), never another exception, an out-of-memory or a hang.
 */
class ImageFuzzTest {
    private static final long MAX_PIXELS = 1 << 20;
    private static final Path FILE = tempFile();

    @FuzzTest
    void readsOrRefuses(byte[] input) throws IOException {
        Files.write(FILE, input);
        RgbImage image;
        try {
            image = Images.read(FILE, MAX_PIXELS);
        } catch (IOException declared) {
            return;
        }
        assertTrue((long) image.width() * image.height() <= MAX_PIXELS);
        assertEquals(3L * image.width() * image.height(), image.toHwcBytes().length);
    }

    private static Path tempFile() {
        try {
            Path p = Files.createTempFile("jsam-fuzz-", ".img");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
