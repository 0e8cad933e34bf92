package dev.jsam.tensor.io;

import dev.jsam.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips, header layout, byte counting and the no-partial-output guarantee. */
class SafetensorsWriterTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsTheGoldenModelByteForByte() throws IOException {
        SafetensorsFile src = SafetensorsFile.open(SafetensorsFileTest.GOLDEN.resolve("tiny/sam_tiny.safetensors"));
        List<SafetensorsFile.Entry> entries = new ArrayList<>();
        for (String n : src.names().reversed()) {
            entries.add(src.get(n));
        }
        Path out = dir.resolve("copy.safetensors");
        SafetensorsWriter.write(out, src.metadata(), entries);
        SafetensorsFile back = SafetensorsFile.open(out);
        assertEquals(src.names(), back.names());
        assertEquals(src.metadata(), back.metadata());
        assertEquals(src.dataBytes(), back.dataBytes());
        for (String n : src.names()) {
            SafetensorsFile.Entry a = src.get(n);
            SafetensorsFile.Entry b = back.get(n);
            assertEquals(a.dtype(), b.dtype());
            assertArrayEquals(a.shape(), b.shape());
            assertEquals(-1L, a.data().mismatch(b.data()), n);
        }
        assertNoTempFiles();
    }

    @Test
    void headerIsPaddedToEightBytesAndSorted() throws IOException {
        Path out = dir.resolve("p.safetensors");
        MemorySegment f = MemorySegment.ofArray(new float[] {1.5f, -2f});
        MemorySegment u = MemorySegment.ofArray(new byte[] {7});
        SafetensorsWriter.write(out, Map.of("src", "x\"y"), List.of(
                new SafetensorsFile.Entry("zeta", DType.U8, new int[] {1}, u),
                new SafetensorsFile.Entry("alpha", DType.F32, new int[] {2}, f),
                new SafetensorsFile.Entry("scalar", DType.I64, new int[] {}, MemorySegment.ofArray(new long[] {-3})),
                new SafetensorsFile.Entry("empty", DType.BF16, new int[] {0, 3}, MemorySegment.ofArray(new byte[0]))));
        byte[] bytes = Files.readAllBytes(out);
        long headerLen = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        SafetensorsFile r = SafetensorsFile.open(out);
        assertEquals(List.of("alpha", "empty", "scalar", "zeta"), r.names());
        assertEquals(Map.of("src", "x\"y"), r.metadata());
        assertEquals(-2f, r.get("alpha").data().get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4));
        assertEquals(0, r.get("empty").data().byteSize());
        assertEquals(1, r.get("scalar").numel());
        assertEquals(7, r.get("zeta").data().get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(8 + 8 + 1, r.dataBytes());
    }

    @Test
    void streamingChecksByteCountsAndOrder() throws IOException {
        Path out = dir.resolve("s.safetensors");
        List<SafetensorsWriter.Spec> specs = List.of(
                new SafetensorsWriter.Spec("b", DType.F16, new int[] {3}),
                new SafetensorsWriter.Spec("a", DType.U8, new int[] {2}));
        try (SafetensorsWriter w = SafetensorsWriter.create(out, Map.of(), specs)) {
            assertThrows(IllegalStateException.class, () -> w.begin("a"));
            w.begin("b");
            w.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
            assertThrows(IllegalStateException.class, () -> w.write(ByteBuffer.wrap(new byte[3])));
            IllegalStateException short_ = assertThrows(IllegalStateException.class, w::end);
            assertTrue(short_.getMessage().contains("4 bytes written, declared 6"), short_.getMessage());
            w.write(ByteBuffer.wrap(new byte[] {5, 6}));
            w.end();
            assertThrows(IllegalStateException.class, w::commit);
            w.writeTensor("a", MemorySegment.ofArray(new byte[] {9, 8}));
            w.commit();
        }
        SafetensorsFile r = SafetensorsFile.open(out);
        assertEquals(List.of("a", "b"), r.names());
        assertArrayEquals(new byte[] {9, 8}, r.get("a").data().toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, r.get("b").data().toArray(ValueLayout.JAVA_BYTE));
        assertNoTempFiles();
    }

    @Test
    void appendsInterleaveTensorsEachInOrder() throws IOException {
        Path out = dir.resolve("i.safetensors");
        List<SafetensorsWriter.Spec> specs = List.of(
                new SafetensorsWriter.Spec("a", DType.U8, new int[] {2, 3}),
                new SafetensorsWriter.Spec("b", DType.U8, new int[] {2}));
        try (SafetensorsWriter w = SafetensorsWriter.create(out, Map.of(), specs)) {
            w.append("a", ByteBuffer.wrap(new byte[] {1, 2, 3}));
            w.append("b", ByteBuffer.wrap(new byte[] {7}));
            w.append("a", ByteBuffer.wrap(new byte[] {4, 5}));
            IllegalStateException early = assertThrows(IllegalStateException.class, w::commit);
            assertTrue(early.getMessage().contains("[a, b]"), early.getMessage());
            w.append("b", ByteBuffer.wrap(new byte[] {8}));
            assertThrows(IllegalStateException.class, () -> w.append("b", ByteBuffer.wrap(new byte[] {9})));
            assertThrows(IllegalArgumentException.class, () -> w.append("c", ByteBuffer.wrap(new byte[] {9})));
            assertThrows(IllegalStateException.class, () -> w.begin("a"));
            w.append("a", ByteBuffer.wrap(new byte[] {6}));
            w.commit();
            assertEquals(Files.size(out) - 2, w.dataOffset("b"));
        }
        SafetensorsFile r = SafetensorsFile.open(out);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, r.get("a").data().toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(new byte[] {7, 8}, r.get("b").data().toArray(ValueLayout.JAVA_BYTE));
        assertNoTempFiles();
    }

    @Test
    void outputGetsDefaultPermissionsNotTempFileOnes() throws IOException {
        Path out = dir.resolve("perm.safetensors");
        SafetensorsWriter.write(out, Map.of(), List.of());
        Path plain = Files.createFile(dir.resolve("plain"));
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(out));
        }
        assertEquals(List.of(), SafetensorsFile.open(out).names());
    }

    @Test
    void abandonedWriterLeavesNothing() throws IOException {
        Path out = dir.resolve("gone.safetensors");
        try (SafetensorsWriter w = SafetensorsWriter.create(out, Map.of(),
                List.of(new SafetensorsWriter.Spec("a", DType.F32, new int[] {1})))) {
            w.begin("a");
            w.write(ByteBuffer.wrap(new byte[2]));
        }
        assertFalse(Files.exists(out));
        assertNoTempFiles();
    }

    @Test
    void failedWriteKeepsAnExistingTarget() throws IOException {
        Path out = dir.resolve("keep.safetensors");
        Files.writeString(out, "old");
        assertThrows(IllegalStateException.class, () -> SafetensorsWriter.write(out, Map.of(), List.of(
                new SafetensorsFile.Entry("a", DType.F32, new int[] {2}, MemorySegment.ofArray(new float[1])))));
        assertEquals("old", Files.readString(out));
        assertNoTempFiles();
    }

    @Test
    void refusesDuplicateAndReservedNames() {
        Path out = dir.resolve("d.safetensors");
        SafetensorsWriter.Spec a = new SafetensorsWriter.Spec("a", DType.F32, new int[] {1});
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.create(out, Map.of(), List.of(a, a)));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.create(out, Map.of(),
                List.of(new SafetensorsWriter.Spec("__metadata__", DType.F32, new int[] {1}))));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.create(out, Map.of(),
                List.of(new SafetensorsWriter.Spec("n", DType.F32, new int[] {-1}))));
        assertFalse(Files.exists(out));
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), tmp);
        }
    }
}
