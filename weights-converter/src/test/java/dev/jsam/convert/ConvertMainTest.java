package dev.jsam.convert;

import dev.jsam.tensor.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line: exit codes, messages, options and what it prints. */
class ConvertMainTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ConvertMain.run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void helpAndUsageErrors() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("usage: convert IN.pth OUT.safetensors [--dtype keep|f32|f16|bf16]"));
        assertEquals(2, run());
        assertTrue(err.toString().contains("expected IN.pth and OUT.safetensors"), err.toString());
        assertEquals(2, run("a.pth", "b.safetensors", "--dtype", "int8"));
        assertTrue(err.toString().contains("--dtype must be keep, f32, f16 or bf16, not int8"), err.toString());
        assertEquals(2, run("a.pth", "b.safetensors", "--dtype"));
        assertEquals(2, run("a.pth", "b.safetensors", "--fast"));
        assertTrue(err.toString().contains("unknown option --fast"), err.toString());
    }

    @Test
    void convertsAndReports() throws IOException {
        Path outFile = dir.resolve("tiny.safetensors");
        String in = GoldenConversionTest.TINY.resolve("sam_tiny_fp16.pth").toString();
        assertEquals(0, run(in, outFile.toString(), "--dtype=f32"));
        String log = out.toString();
        assertTrue(log.contains("torch zip archive 'sam_tiny_fp16'"), log);
        assertTrue(log.contains("state_dict: top level, 202 tensors"), log);
        assertTrue(log.contains("image_encoder.patch_embed.proj.weight  F16->F32 [72, 3, 16, 16]"), log);
        assertTrue(log.contains("dtypes {F16=202}"), log);
        assertTrue(log.contains("done in"), log);
        SafetensorsFile f = SafetensorsFile.open(outFile);
        assertEquals("sam_tiny_fp16.pth", f.metadata().get("source_file"));
        assertTrue(f.metadata().get("converted_by").contains("dtype f32"));
        assertEquals("", err.toString());
    }

    @Test
    void failuresExitOneAndLeaveNoOutput() throws IOException {
        Path bad = dir.resolve("bad.pth");
        Files.writeString(bad, "not a checkpoint");
        Path outFile = dir.resolve("o.safetensors");
        assertEquals(1, run(bad.toString(), outFile.toString()));
        assertTrue(err.toString().startsWith("convert: error: bad.pth: not a PyTorch checkpoint"), err.toString());
        assertFalse(Files.exists(outFile));
        assertEquals(1, run(dir.resolve("missing.pth").toString(), outFile.toString()));
        assertTrue(err.toString().contains("missing.pth: no such file"), err.toString());
        assertEquals(1, run(bad.toString(), bad.toString()));
        assertTrue(err.toString().contains("would overwrite the input"), err.toString());
    }
}
