package dev.jsam.convert;

import dev.jsam.tensor.DType;
import dev.jsam.tensor.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The golden tiny checkpoints (zip, legacy, fp16) convert to exactly the golden safetensors. */
class GoldenConversionTest {
    static final Path TINY = Path.of(System.getProperty("jsam.testdata", "../testdata"), "golden", "tiny");
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;

    private SafetensorsFile convert(String name, Converter.Target target) throws IOException {
        Path out = dir.resolve(name + "." + target + ".safetensors");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Converter.convert(TINY.resolve(name), out, target, new PrintStream(log, true));
        assertTrue(log.toString().contains("202 tensors"), log.toString());
        return SafetensorsFile.open(out);
    }

    private static void assertBitExact(SafetensorsFile golden, SafetensorsFile got) throws IOException {
        assertEquals(golden.names(), got.names());
        for (String n : golden.names()) {
            SafetensorsFile.Entry g = golden.get(n);
            SafetensorsFile.Entry e = got.get(n);
            assertEquals(g.dtype(), e.dtype(), n);
            assertArrayEquals(g.shape(), e.shape(), n);
            assertEquals(-1L, g.data().mismatch(e.data()), n);
        }
    }

    @Test
    void zipFormatIsBitExact() throws IOException {
        SafetensorsFile golden = SafetensorsFile.open(TINY.resolve("sam_tiny.safetensors"));
        SafetensorsFile got = convert("sam_tiny.pth", Converter.Target.KEEP);
        assertBitExact(golden, got);
        assertEquals("sam_tiny.pth", got.metadata().get("source_file"));
        assertEquals("top level", got.metadata().get("state_dict"));
        assertEquals("pt", got.metadata().get("format"));
        assertTrue(got.metadata().get("converted_by").contains("dtype keep"));
        assertArrayEquals(new int[] {72, 3, 16, 16}, got.get("image_encoder.patch_embed.proj.weight").shape());
    }

    @Test
    void legacyFormatIsBitExact() throws IOException {
        SafetensorsFile golden = SafetensorsFile.open(TINY.resolve("sam_tiny.safetensors"));
        SafetensorsFile got = convert("sam_tiny_legacy.pth", Converter.Target.KEEP);
        assertBitExact(golden, got);
        assertTrue(got.metadata().get("source_format").startsWith("legacy"));
    }

    @Test
    void f32TargetOfF32IsUnchanged() throws IOException {
        assertBitExact(SafetensorsFile.open(TINY.resolve("sam_tiny.safetensors")),
                convert("sam_tiny.pth", Converter.Target.F32));
    }

    @Test
    void fp16KeepsItsValuesAndEqualsRoundedGolden() throws IOException {
        SafetensorsFile golden = SafetensorsFile.open(TINY.resolve("sam_tiny.safetensors"));
        SafetensorsFile half = convert("sam_tiny_fp16.pth", Converter.Target.KEEP);
        SafetensorsFile cast = convert("sam_tiny.pth", Converter.Target.F16);
        assertEquals(golden.names(), half.names());
        for (String n : golden.names()) {
            SafetensorsFile.Entry g = golden.get(n);
            SafetensorsFile.Entry h = half.get(n);
            assertEquals(DType.F16, h.dtype(), n);
            assertArrayEquals(g.shape(), h.shape(), n);
            for (long i = 0; i < g.numel(); i++) {
                assertEquals(Float.floatToFloat16(g.data().getAtIndex(F32, i)), h.data().getAtIndex(U16, i), n);
            }
            assertEquals(-1L, h.data().mismatch(cast.get(n).data()), n);
        }
    }

    @Test
    void fp16ToF32IsExactWidening() throws IOException {
        SafetensorsFile half = convert("sam_tiny_fp16.pth", Converter.Target.KEEP);
        SafetensorsFile wide = convert("sam_tiny_fp16.pth", Converter.Target.F32);
        for (String n : half.names()) {
            SafetensorsFile.Entry h = half.get(n);
            SafetensorsFile.Entry w = wide.get(n);
            assertEquals(DType.F32, w.dtype());
            for (long i = 0; i < h.numel(); i++) {
                assertEquals(Float.float16ToFloat(h.data().getAtIndex(U16, i)), w.data().getAtIndex(F32, i), n);
            }
        }
    }

    /**
     * Every element of the converted checkpoint is a bfloat16 neighbour of its float32 value, the
     * nearer one, and at an exact tie (low 16 bits 0x8000; this checkpoint holds 24) the even one.
     */
    @Test
    void bf16IsRoundedToNearestEven() throws IOException {
        SafetensorsFile golden = SafetensorsFile.open(TINY.resolve("sam_tiny.safetensors"));
        SafetensorsFile bf = convert("sam_tiny.pth", Converter.Target.BF16);
        int ties = 0;
        for (String n : golden.names()) {
            SafetensorsFile.Entry g = golden.get(n);
            SafetensorsFile.Entry b = bf.get(n);
            assertEquals(DType.BF16, b.dtype(), n);
            for (long i = 0; i < g.numel(); i++) {
                int bits = Float.floatToRawIntBits(g.data().getAtIndex(F32, i));
                short y = b.data().getAtIndex(U16, i);
                int down = bits >>> 16;
                int up = down + 1;
                int low = bits & 0xFFFF;
                int expected = low < 0x8000 ? down : low > 0x8000 ? up : (down & 1) == 0 ? down : up;
                ties += low == 0x8000 ? 1 : 0;
                if ((y & 0xFFFF) != (expected & 0xFFFF)) {
                    fail(n + "[" + i + "]: " + Integer.toHexString(bits) + " -> " + Integer.toHexString(y & 0xFFFF)
                            + ", expected " + Integer.toHexString(expected & 0xFFFF));
                }
            }
        }
        assertTrue(ties >= 20, "ties seen: " + ties);
    }
}
