package dev.jsam.sam.modeling;

import dev.jsam.convert.Converter;
import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.Golden;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.SafetensorsFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Float16 and bfloat16 checkpoints load as they are (the golden tiny model converted with
 * --dtype f16 / bf16): the file keeps its dtype, the model builds from it, and its features
 * differ from the float32 model's only by the weights' rounding.
 */
class HalfPrecisionCheckpointTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(value = Converter.Target.class, names = {"F16", "BF16"})
    void halfPrecisionCheckpointLoadsAndRuns(Converter.Target target) throws Exception {
        Path half = tmp.resolve("tiny-" + target + ".safetensors");
        Converter.convert(Golden.testdata("golden/tiny/sam_tiny.pth"), half, target, new PrintStream(OutputStream.nullOutputStream()));
        DType stored = SafetensorsFile.open(half).get("image_encoder.patch_embed.proj.weight").dtype();
        assertEquals(target == Converter.Target.F16 ? DType.F16 : DType.BF16, stored);
        try (CpuBackend be = CpuBackend.create()) {
            Sam full = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be), be);
            Sam reduced = Sam.fromSource(SafetensorsSource.open(half, be), be);
            float[] px = new float[3 * 64 * 64];
            Random r = new Random(1);
            for (int i = 0; i < px.length; i++) {
                px[i] = r.nextInt(256);
            }
            Tensor input = full.preprocess(Tensor.of(be, px, 1, 3, 64, 64));
            float[] a = full.imageEncoder().forward(input).toFloatArray();
            float[] b = reduced.imageEncoder().forward(input).toFloatArray();
            double num = 0, den = 0;
            for (int i = 0; i < a.length; i++) {
                num += (a[i] - b[i]) * (double) (a[i] - b[i]);
                den += a[i] * (double) a[i];
            }
            double rel = Math.sqrt(num / den);
            // f16 keeps 11 significant bits, bf16 8: the features move by about that much, not more
            double bound = target == Converter.Target.F16 ? 5e-3 : 5e-2;
            assertTrue(rel > 0 && rel < bound, target + " features differ from float32 by relative L2 " + rel);
        }
    }
}
