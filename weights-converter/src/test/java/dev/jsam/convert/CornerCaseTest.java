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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-built checkpoints for every corner: views, shared storage, nesting, dtypes, 0-d, empty, legacy. */
class CornerCaseTest {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;
    private String log;

    private SafetensorsFile convert(Path in, Converter.Target target) throws IOException {
        Path out = dir.resolve(in.getFileName() + ".safetensors");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Converter.convert(in, out, target, new PrintStream(bytes, true));
        log = bytes.toString();
        return SafetensorsFile.open(out);
    }

    private static float[] floats(SafetensorsFile f, String name) throws IOException {
        SafetensorsFile.Entry e = f.get(name);
        assertEquals(DType.F32, e.dtype());
        float[] v = new float[(int) e.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = e.data().getAtIndex(F32, i);
        }
        return v;
    }

    /** Wraps the body (name, tensor pairs) into an OrderedDict state_dict pickle. */
    private static PickleBuilder dict(PickleBuilder p, Runnable body) {
        p.proto(2).orderedDict().mark();
        body.run();
        return p.setItems().stop();
    }

    @Test
    void viewsComeOutAsPyTorchMaterialisesThem() throws IOException {
        PickleBuilder p = new PickleBuilder();
        dict(p, () -> {
            p.str("transposed").tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3});
            p.str("sliced").tensor("FloatStorage", "1", 12, 5, new long[] {2, 2}, new long[] {4, 1});
            p.str("strided").tensor("FloatStorage", "1", 12, 1, new long[] {2, 2}, new long[] {1, 4});
            p.str("expanded").tensor("FloatStorage", "0", 6, 0, new long[] {2, 3}, new long[] {0, 1});
            p.str("whole").tensor("FloatStorage", "1", 12, 3, 4);
            p.str("tail").tensor("FloatStorage", "1", 12, 8, new long[] {4}, new long[] {1});
            p.str("ones").tensor("FloatStorage", "1", 12, 2, new long[] {1, 3, 1}, new long[] {99, 1, 7});
        });
        Map<String, byte[]> storages = new LinkedHashMap<>();
        storages.put("0", TorchFiles.iota(6));
        storages.put("1", TorchFiles.iota(12));
        SafetensorsFile f = convert(TorchFiles.zip(dir.resolve("views.pth"), p.bytes(), storages), Converter.Target.KEEP);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, floats(f, "transposed"));
        assertArrayEquals(new int[] {3, 2}, f.get("transposed").shape());
        assertArrayEquals(new float[] {5, 6, 9, 10}, floats(f, "sliced"));
        assertArrayEquals(new float[] {1, 5, 2, 6}, floats(f, "strided"));
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2}, floats(f, "expanded"));
        assertArrayEquals(TorchFiles.iota(12), f.get("whole").data().toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(new float[] {8, 9, 10, 11}, floats(f, "tail"));
        assertArrayEquals(new float[] {2, 3, 4}, floats(f, "ones"));
        assertArrayEquals(new int[] {1, 3, 1}, f.get("ones").shape());
    }

    @Test
    void largeStridedViewsAcrossChunks() throws IOException {
        int rows = 1100;
        int cols = 1000;
        PickleBuilder p = new PickleBuilder();
        dict(p, () -> {
            p.str("t").tensor("FloatStorage", "0", (long) rows * cols, 0, new long[] {cols, rows}, new long[] {1, cols});
            p.str("c").tensor("FloatStorage", "0", (long) rows * cols, rows, cols);
        });
        SafetensorsFile f = convert(TorchFiles.zip(dir.resolve("big.pth"), p.bytes(),
                Map.of("0", TorchFiles.iota(rows * cols))), Converter.Target.F16);
        SafetensorsFile.Entry t = f.get("t");
        assertEquals(DType.F16, t.dtype());
        ValueLayout.OfShort u16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cols; i += 37) {
            for (int j = 0; j < rows; j += 13) {
                float want = Float.float16ToFloat(Float.floatToFloat16(j * cols + i));
                assertEquals(want, Float.float16ToFloat(t.data().getAtIndex(u16, (long) i * rows + j)));
            }
        }
        assertEquals(Float.floatToFloat16(rows * cols - 1), f.get("c").data().getAtIndex(u16, (long) rows * cols - 1));
    }

    @Test
    void nestedDictsAreFlattenedAndSharedStorageIsReused() throws IOException {
        PickleBuilder p = new PickleBuilder().proto(2).emptyDict().mark();
        p.str("encoder").emptyDict().mark()
                .str("w").tensor("FloatStorage", "0", 4, 2, 2)
                .str("inner").emptyDict().str("b").tensor("FloatStorage", "0", 4, 2, new long[] {2}, new long[] {1}).setItem()
                .setItems();
        p.str("head.x").global("torch._utils", "_rebuild_parameter").mark()
                .tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1}).bool(true).orderedDict().tuple().reduce();
        p.str("step").integer(3).setItems().stop();
        SafetensorsFile f = convert(TorchFiles.zip(dir.resolve("nested.pth"), p.bytes(), Map.of("0", TorchFiles.iota(4))),
                Converter.Target.KEEP);
        assertEquals(List.of("encoder.inner.b", "encoder.w", "head.x"), f.names());
        assertArrayEquals(new float[] {2, 3}, floats(f, "encoder.inner.b"));
        assertArrayEquals(new float[] {0, 1, 2, 3}, floats(f, "encoder.w"));
        assertArrayEquals(new float[] {0, 1, 2, 3}, floats(f, "head.x"));
        assertTrue(log.contains("skipped 1 non-tensor entries: [step (Long)]"), log);
    }

    @Test
    void stateDictUnderAKeyIsFoundAndNamed() throws IOException {
        PickleBuilder p = new PickleBuilder().proto(2).emptyDict().mark()
                .str("epoch").integer(7)
                .str("optimizer").emptyDict()
                .str("model").emptyDict().str("w").tensor("FloatStorage", "0", 4, 4).setItem()
                .setItems().stop();
        SafetensorsFile f = convert(TorchFiles.zip(dir.resolve("ckpt.pth"), p.bytes(), Map.of("0", TorchFiles.iota(4))),
                Converter.Target.KEEP);
        assertEquals(List.of("w"), f.names());
        assertEquals("checkpoint['model']", f.metadata().get("state_dict"));
        assertTrue(log.contains("state_dict: checkpoint['model'], 1 tensors"), log);
    }

    @Test
    void everyStorageDtypeRoundTripsAndOnlyFloatsAreCast() throws IOException {
        String[] types = {"FloatStorage", "HalfStorage", "BFloat16Storage", "DoubleStorage", "LongStorage",
            "IntStorage", "ShortStorage", "CharStorage", "ByteStorage", "BoolStorage"};
        DType[] dtypes = {DType.F32, DType.F16, DType.BF16, DType.F64, DType.I64, DType.I32, DType.I16, DType.I8,
            DType.U8, DType.BOOL};
        Map<String, byte[]> storages = new LinkedHashMap<>();
        PickleBuilder p = new PickleBuilder();
        dict(p, () -> {
            for (int i = 0; i < types.length; i++) {
                int n = 3;
                byte[] raw = new byte[n * dtypes[i].byteSize()];
                for (int b = 0; b < raw.length; b++) {
                    raw[b] = (byte) (dtypes[i] == DType.BOOL ? b % 2 : 17 * b + i + 1);
                }
                if (dtypes[i] == DType.F64) {
                    java.nio.ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.0 + 1e-12).putDouble(-2.5)
                            .putDouble(65520.0);
                }
                storages.put("s" + i, raw);
                p.str("t" + i).tensor(types[i], "s" + i, n, n);
            }
        });
        Path in = TorchFiles.zip(dir.resolve("dtypes.pth"), p.bytes(), storages);
        SafetensorsFile keep = convert(in, Converter.Target.KEEP);
        for (int i = 0; i < types.length; i++) {
            SafetensorsFile.Entry e = keep.get("t" + i);
            assertEquals(dtypes[i], e.dtype(), types[i]);
            assertArrayEquals(storages.get("s" + i), e.data().toArray(ValueLayout.JAVA_BYTE), types[i]);
        }
        Files.delete(dir.resolve("dtypes.pth.safetensors"));
        SafetensorsFile half = convert(in, Converter.Target.F16);
        for (int i = 0; i < types.length; i++) {
            DType want = dtypes[i].isFloating() ? DType.F16 : dtypes[i];
            assertEquals(want, half.get("t" + i).dtype(), types[i]);
        }
        SafetensorsFile.Entry d = half.get("t3");
        ValueLayout.OfShort u16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.0f, Float.float16ToFloat(d.data().getAtIndex(u16, 0)));
        assertEquals(-2.5f, Float.float16ToFloat(d.data().getAtIndex(u16, 1)));
        assertEquals(Float.POSITIVE_INFINITY, Float.float16ToFloat(d.data().getAtIndex(u16, 2)));
        assertArrayEquals(storages.get("s4"), half.get("t4").data().toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void scalarsAndEmptyTensors() throws IOException {
        PickleBuilder p = new PickleBuilder();
        dict(p, () -> {
            p.str("scalar").tensor("LongStorage", "0", 1, 0, new long[] {}, new long[] {});
            p.str("empty").tensor("FloatStorage", "1", 0, 0, new long[] {0, 4}, new long[] {4, 1});
            p.str("emptyView").tensor("FloatStorage", "2", 2, 2, new long[] {3, 0}, new long[] {1, 1});
        });
        Map<String, byte[]> storages = new LinkedHashMap<>();
        storages.put("0", new byte[] {42, 0, 0, 0, 0, 0, 0, 0});
        storages.put("1", new byte[0]);
        storages.put("2", TorchFiles.iota(2));
        SafetensorsFile f = convert(TorchFiles.zip(dir.resolve("scalars.pth"), p.bytes(), storages), Converter.Target.KEEP);
        assertArrayEquals(new int[] {}, f.get("scalar").shape());
        assertEquals(42L, f.get("scalar").data().get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
        assertArrayEquals(new int[] {0, 4}, f.get("empty").shape());
        assertEquals(0, f.get("empty").data().byteSize());
        assertArrayEquals(new int[] {3, 0}, f.get("emptyView").shape());
    }

    @Test
    void legacyFormatWithViewsAndSharedStorage() throws IOException {
        PickleBuilder p = new PickleBuilder().proto(2).orderedDict().mark();
        p.str("a").global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "FloatStorage").str("100").str("cpu").integer(6).none().tuple().op('Q')
                .integer(0).intTuple(2, 3).intTuple(3, 1).bool(false).orderedDict().tuple().reduce();
        p.str("b").global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "FloatStorage").str("100").str("cpu").integer(6)
                .mark().str("101").integer(2).integer(3).tuple().tuple().op('Q')
                .integer(1).intTuple(2).intTuple(1).bool(false).orderedDict().tuple().reduce();
        p.str("c").global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "IntStorage").str("7").str("cuda:0").integer(2).none().tuple().op('Q')
                .integer(0).intTuple(2).intTuple(1).bool(false).orderedDict().tuple().reduce();
        p.setItems().stop();
        byte[] file = TorchFiles.legacyBytes(p.bytes(), List.of(
                new TorchFiles.Legacy("100", 6, TorchFiles.iota(6)),
                new TorchFiles.Legacy("7", 2, new byte[] {5, 0, 0, 0, 6, 0, 0, 0})));
        Path in = dir.resolve("legacy.pth");
        Files.write(in, file);
        SafetensorsFile f = convert(in, Converter.Target.KEEP);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, floats(f, "a"));
        assertArrayEquals(new float[] {3, 4}, floats(f, "b"));
        assertEquals(DType.I32, f.get("c").dtype());
        assertArrayEquals(new byte[] {5, 0, 0, 0, 6, 0, 0, 0}, f.get("c").data().toArray(ValueLayout.JAVA_BYTE));
        assertTrue(log.contains("legacy"), log);
    }

    @Test
    void zip64ArchivesAndOtherFolderNames() throws IOException {
        PickleBuilder p = new PickleBuilder();
        dict(p, () -> p.str("w").tensor("FloatStorage", "0", 3, 3));
        Path in = TorchFiles.zip(dir.resolve("z64.pth"), "some_other_name", p.bytes(), Map.of("0", TorchFiles.iota(3)), true);
        SafetensorsFile f = convert(in, Converter.Target.KEEP);
        assertArrayEquals(new float[] {0, 1, 2}, floats(f, "w"));
        assertTrue(f.metadata().get("source_format").contains("'some_other_name'"), f.metadata().toString());
    }
}
