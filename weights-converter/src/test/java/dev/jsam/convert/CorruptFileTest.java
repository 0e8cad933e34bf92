package dev.jsam.convert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Truncated, corrupt, malicious and non-checkpoint inputs fail with a clear error and leave no output. */
class CorruptFileTest {
    @TempDir
    Path dir;

    private CheckpointException fails(Path in, String... fragments) throws IOException {
        Path out = dir.resolve("out.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Converter.convert(in, out, Converter.Target.KEEP, new PrintStream(OutputStream.nullOutputStream())));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected \"" + f + "\" in: " + e.getMessage());
        }
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
        return e;
    }

    private static byte[] goodPickle() {
        return new PickleBuilder().proto(2).orderedDict().mark()
                .str("w").tensor("FloatStorage", "0", 64, 8, 8)
                .str("v").tensor("FloatStorage", "1", 4, 4)
                .setItems().stop().bytes();
    }

    private Path goodZip() throws IOException {
        return TorchFiles.zip(dir.resolve("good.pth"), goodPickle(), Map.of("0", TorchFiles.iota(64), "1", TorchFiles.iota(4)));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void theUncorruptedFileConverts() throws IOException {
        Path out = dir.resolve("ok.safetensors");
        Converter.Result r = Converter.convert(goodZip(), out, Converter.Target.KEEP,
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(2, r.tensors());
        assertTrue(Files.exists(out));
    }

    @Test
    void truncatedZipAtEveryPlaceFailsCleanly() throws IOException {
        byte[] good = Files.readAllBytes(goodZip());
        for (int cut : new int[] {0, 3, 4, 30, 100, 200, 400, good.length / 2, good.length - 30, good.length - 22, good.length - 1}) {
            Path p = write("cut" + cut + ".pth", Arrays.copyOf(good, cut));
            fails(p, "cut" + cut + ".pth");
        }
    }

    @Test
    void flippedBytesAreCaughtByCrc() throws IOException {
        byte[] good = Files.readAllBytes(goodZip());
        byte[] needle = TorchFiles.iota(64);
        int at = indexOf(good, needle) + 100;
        byte[] bad = good.clone();
        bad[at] ^= 1;
        fails(write("flip.pth", bad), "storage archive/data/0 fails its CRC-32 check");
        byte[] badPickle = good.clone();
        badPickle[indexOf(good, goodPickle()) + 40] ^= 1;
        fails(write("flip2.pth", badPickle), "CRC-32");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("needle not found");
    }

    @Test
    void nonCheckpointsAreNamedAsSuch() throws IOException {
        fails(write("empty.pth", new byte[0]), "not a PyTorch checkpoint");
        fails(write("text.pth", "hello world\n".getBytes()), "not a PyTorch checkpoint");
        fails(write("pickle.pth", new PickleBuilder().proto(2).integer(5).stop().bytes()), "without torch's magic number");
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(), 0, tar, 257, 5);
        fails(write("old.tar.pth", tar), "tar archive");
        Path noPkl = dir.resolve("nopkl.pth");
        try (FileChannel ch = FileChannel.open(noPkl, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             ZipWriter z = new ZipWriter(ch, false)) {
            z.add("x/version", "3\n".getBytes());
        }
        fails(noPkl, "expected one <folder>/data.pkl, found none");
        fails(TorchFiles.zip(dir.resolve("empty_pkl.pth"), "x", new byte[0], Map.of(), false), "truncated pickle");
    }

    @Test
    void archiveProblems() throws IOException {
        Path noPickle = dir.resolve("plainzip.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(noPickle))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hi".getBytes());
        }
        fails(noPickle, "compressed (method 8)");
        fails(TorchFiles.zip(dir.resolve("missing.pth"), goodPickle(), Map.of("0", TorchFiles.iota(64))),
                "storage 1 is missing from the archive");
        fails(TorchFiles.zip(dir.resolve("short.pth"), goodPickle(), Map.of("0", TorchFiles.iota(63), "1", TorchFiles.iota(4))),
                "storage 0 declares 64 F32 elements but archive/data/0 holds 252 bytes");
    }

    @Test
    void inconsistentTensorsAndContents() throws IOException {
        byte[] outOfRange = new PickleBuilder().proto(2).orderedDict().mark()
                .str("w").tensor("FloatStorage", "0", 4, 2, new long[] {4}, new long[] {1}).setItems().stop().bytes();
        fails(TorchFiles.zip(dir.resolve("oob.pth"), outOfRange, Map.of("0", TorchFiles.iota(4))),
                "tensor w", "reaches element 5 of a storage of 4 elements");
        fails(TorchFiles.zip(dir.resolve("list.pth"), new PickleBuilder().proto(2).emptyList().stop().bytes(), Map.of()),
                "holds a ArrayList value, not a dict of tensors");
        fails(TorchFiles.zip(dir.resolve("notensors.pth"),
                new PickleBuilder().proto(2).emptyDict().str("epoch").integer(1).setItem().stop().bytes(), Map.of()),
                "no tensors found", "[epoch]");
        byte[] complex = new PickleBuilder().proto(2).orderedDict().mark()
                .str("w").tensor("ComplexFloatStorage", "0", 1, 1).setItems().stop().bytes();
        fails(TorchFiles.zip(dir.resolve("complex.pth"), complex, Map.of("0", new byte[8])),
                "refusing global torch.ComplexFloatStorage");
    }

    @Test
    void maliciousPicklesInsideACheckpointAreRefused() throws IOException {
        byte[] evil = new PickleBuilder().proto(2).orderedDict().mark()
                .str("w").global("os", "system").str("touch /tmp/pwned").op(0x85).reduce().setItems().stop().bytes();
        fails(TorchFiles.zip(dir.resolve("evil.pth"), evil, Map.of()), "evil.pth", "refusing global os.system");
        byte[] evalStack = new PickleBuilder().proto(4).stackGlobal("builtins", "eval").str("__import__('os')").op(0x85)
                .reduce().stop().bytes();
        fails(TorchFiles.zip(dir.resolve("eval.pth"), evalStack, Map.of()), "refusing global builtins.eval");
        byte[] custom = new PickleBuilder().proto(2).orderedDict().mark().str("cfg")
                .global("myproject.config", "Config").emptyTuple().op(0x81).setItems().stop().bytes();
        fails(TorchFiles.zip(dir.resolve("custom.pth"), custom, Map.of()), "refusing global myproject.config.Config");
        Path legacy = write("evil_legacy.pth", TorchFiles.legacyBytes(evil, List.of()));
        fails(legacy, "refusing global os.system");
    }

    @Test
    void legacyCorruption() throws IOException {
        byte[] main = new PickleBuilder().proto(2).orderedDict().mark().str("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "FloatStorage").str("9").str("cpu").integer(4).none().tuple().op('Q')
                .integer(0).intTuple(4).intTuple(1).bool(false).orderedDict().tuple().reduce()
                .setItems().stop().bytes();
        byte[] good = TorchFiles.legacyBytes(main, List.of(new TorchFiles.Legacy("9", 4, TorchFiles.iota(4))));
        fails(write("l1.pth", Arrays.copyOf(good, good.length - 3)), "truncated inside the data of storage 9");
        fails(write("l2.pth", Arrays.copyOf(good, good.length - 20)), "truncated before the data of storage 9");
        fails(write("l3.pth", Arrays.copyOf(good, 60)), "truncated pickle");
        byte[] extra = Arrays.copyOf(good, good.length + 5);
        fails(write("l4.pth", extra), "5 unexpected bytes after the last storage");
        byte[] wrongCount = TorchFiles.legacyBytes(main, List.of(new TorchFiles.Legacy("9", 3, TorchFiles.iota(3))));
        fails(write("l5.pth", wrongCount), "storage 9 has 3 elements in the data but 4 in the pickle");
        byte[] unknownKey = TorchFiles.legacyBytes(main, List.of(new TorchFiles.Legacy("8", 4, TorchFiles.iota(4))));
        fails(write("l6.pth", unknownKey), "storage key 8 is listed but no tensor uses it");
    }

    @Test
    void failureKeepsAnExistingOutput() throws IOException {
        Path out = dir.resolve("existing.safetensors");
        Files.writeString(out, "previous");
        Path bad = write("bad.pth", "garbage".getBytes());
        assertThrows(CheckpointException.class, () -> Converter.convert(bad, out, Converter.Target.KEEP,
                new PrintStream(OutputStream.nullOutputStream())));
        assertEquals("previous", Files.readString(out));
    }
}
