package dev.jsam.convert.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsam.convert.Converter;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the converter's readers of untrusted .pth files (the zip archive, the legacy pickle
 * stream and the restricted unpickler behind both): any file converts to a safetensors file that
 * jsam's own reader then opens, or is an IOException (CheckpointException naming the problem),
 * never another exception, an out-of-memory, a hang, or code run from the file (Jazzer's
 * sanitizers watch for deserialization, reflection and command execution).
 */
class CheckpointFuzzTest {
    private static final Path DIR = tempDir();
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @FuzzTest
    void convertsOrRefuses(byte[] input) throws IOException {
        Path in = DIR.resolve("in.pth");
        Path out = DIR.resolve("out.safetensors");
        Files.write(in, input);
        Files.deleteIfExists(out);
        try {
            Converter.convert(in, out, Converter.Target.KEEP, QUIET);
        } catch (IOException declared) {
            return;
        }
        SafetensorsFile.open(out);
    }

    private static Path tempDir() {
        try {
            Path p = Files.createTempDirectory("jsam-fuzz-");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
