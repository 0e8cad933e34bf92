package dev.jsam.tensor.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recognising a safetensors file by its structure (a header length that fits, then '{'), whatever
 * its first byte: files whose header length starts with 0x80 (a pickle's first byte) or "PK" (a
 * zip's) are safetensors; PyTorch checkpoints, truncated and tiny files are not. And a file opened
 * in the caller's arena is unmapped when that arena closes.
 */
class SafetensorsRecognitionTest {
    static final Path TINY = Path.of(System.getProperty("jsam.testdata", "../testdata"), "golden", "tiny");

    @TempDir
    Path dir;

    @Test
    void headerLengthsStartingLikeAPickleOrAZipAreSafetensors() throws IOException {
        Path pickleLike = emptySafetensors(0x80);
        Path zipLike = emptySafetensors(0x4B50);
        assertEquals((byte) 0x80, Files.readAllBytes(pickleLike)[0]);
        assertEquals("PK", new String(Files.readAllBytes(zipLike), 0, 2, StandardCharsets.ISO_8859_1));
        for (Path p : new Path[] {pickleLike, zipLike}) {
            assertTrue(SafetensorsFile.isSafetensors(p), p.toString());
            assertEquals(0, SafetensorsFile.open(p).names().size());
        }
    }

    @Test
    void pytorchCheckpointsAndBrokenFilesAreNot() throws IOException {
        for (String pth : new String[] {"sam_tiny.pth", "sam_tiny_legacy.pth", "sam_tiny_fp16.pth"}) {
            assertFalse(SafetensorsFile.isSafetensors(TINY.resolve(pth)), pth);
        }
        assertTrue(SafetensorsFile.isSafetensors(TINY.resolve("sam_tiny.safetensors")));
        byte[] good = Files.readAllBytes(TINY.resolve("sam_tiny.safetensors"));
        assertFalse(SafetensorsFile.isSafetensors(write("cut", Arrays.copyOf(good, 100))), "header beyond the end");
        assertFalse(SafetensorsFile.isSafetensors(write("short", Arrays.copyOf(good, 8))), "nothing after the length");
        byte[] notJson = good.clone();
        notJson[8] = '[';
        assertFalse(SafetensorsFile.isSafetensors(write("array", notJson)), "header not an object");
    }

    @Test
    void closingTheCallersArenaUnmapsTheFile() throws IOException {
        SafetensorsFile.Entry entry;
        try (Arena arena = Arena.ofShared()) {
            entry = SafetensorsFile.open(TINY.resolve("sam_tiny.safetensors"), arena)
                    .get("image_encoder.patch_embed.proj.weight");
            assertTrue(entry.data().scope().isAlive());
        }
        MemorySegment data = entry.data();
        assertFalse(data.scope().isAlive());
        assertThrows(IllegalStateException.class, () -> data.get(ValueLayout.JAVA_BYTE, 0));
    }

    /** A valid safetensors file without tensors whose header ("{}" and spaces) is exactly headerLen bytes. */
    private Path emptySafetensors(int headerLen) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + headerLen).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLen).put((byte) '{')
                .put((byte) '}');
        while (b.hasRemaining()) {
            b.put((byte) ' ');
        }
        return write("h" + headerLen, b.array());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name + ".safetensors"), bytes);
    }
}
