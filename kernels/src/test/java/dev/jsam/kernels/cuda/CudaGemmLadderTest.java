package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SGEMM kernel ladder's harness: rungs 01 (naive) and 02 (shared-memory tiles) from
 * kernels/dev, 03 (sgemm_f32, 64 x 64 tiles, 4 x 4 per thread, the backend's kernel for small
 * problems), 04 (sgemm_tf32_f32, mma.sync TF32), 05 (sgemm_128_f32, 128 x 128 tiles, 8 x 8 per
 * thread, two shared-memory stages, float4 reads: the backend's kernel once a problem fills the
 * card), 05b (the same built for two blocks per SM, from kernels/dev), 06 (sgemm_3xtf32_f32:
 * 128 x 128 tiles on mma.sync, three TF32 products per fp32 product, held to the fp32 bound) and
 * 07 (sgemm_bf16_f32, the same tiles on bf16 operands). First validates every rung on every launch
 * shape and operand layout against a double-precision host product, then times each at SAM's GEMM
 * shapes against the card's peak for its arithmetic (3xTF32: a third of the TF32 peak; bf16: twice it).
 * Skipped without a GPU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaGemmLadderTest {
    /** What a rung computes in: the bound it is validated against (per sum|a b|) and the peak it is timed against. */
    private enum Arith {
        FP32, TF32, TF32X3, BF16
    }

    private record Rung(String name, CUfunction f, int tile, int blockX, int blockY, Arith arith) {
    }

    private CudaBackend be;
    private CudaContext context;
    private final List<Rung> rungs = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        CudaTestSupport.assumeGpu();
        if (be != null) {
            return;
        }
        be = CudaBackend.create(0);
        context = (CudaContext) be.device();
        rungs.add(new Rung("01_naive", load("sgemm_01_naive", "sgemm_01_naive"), 16, 16, 16, Arith.FP32));
        rungs.add(new Rung("02_smem", load("sgemm_02_smem", "sgemm_02_smem"), 16, 16, 16, Arith.FP32));
        rungs.add(new Rung("03_regtile", context.function("sgemm_f32"), 64, 256, 1, Arith.FP32));
        rungs.add(new Rung("04_tf32_mma", context.function("sgemm_tf32_f32"), 64, 128, 1, Arith.TF32));
        rungs.add(new Rung("05_tile128", context.function("sgemm_128_f32"), 128, 256, 1, Arith.FP32));
        rungs.add(new Rung("05b_tile128_occ2", load("sgemm_05_occ2", "sgemm_128_f32"), 128, 256, 1, Arith.FP32));
        rungs.add(new Rung("06_3xtf32_mma", context.function("sgemm_3xtf32_f32"), 128, 256, 1, Arith.TF32X3));
        rungs.add(new Rung("07_bf16_mma", context.function("sgemm_bf16_f32"), 128, 256, 1, Arith.BF16));
    }

    /** Entry point entry of kernels/dev/ptx/file.ptx. */
    private CUfunction load(String file, String entry) throws IOException {
        String ptx = Files.readString(Path.of("../kernels/dev/ptx", file + ".ptx"));
        context.makeCurrent();
        CUmodule m = new CUmodule();
        JCudaDriver.cuModuleLoadData(m, ptx);
        CUfunction f = new CUfunction();
        JCudaDriver.cuModuleGetFunction(f, m, entry);
        return f;
    }

    @AfterAll
    void close() {
        if (be != null) {
            be.close();
        }
    }

    private void launch(Rung r, GemmCall c, Tensor out) {
        int gx = (c.n() + r.tile() - 1) / r.tile(), gy = (c.m() + r.tile() - 1) / r.tile();
        context.launch(r.f(), gx, gy, (int) c.batchCount(), r.blockX(), r.blockY(), 0, new KernelArgs()
                .ptr(be.pointer(out)).ptr(be.pointer(c.a())).ptr(be.pointer(c.b()))
                .ptr(c.bias() == null ? null : be.pointer(c.bias())).struct(c.argsStruct())
                .struct(Geometry.of(c.batchShape(), c.aBatch(), c.bBatch())));
    }

    /** A (m x k) and B (k x n), each row-major or stored transposed, batch of `batch` with B shared. */
    private GemmCall call(float[] a, float[] b, int batch, int m, int n, int k, boolean aT, boolean bT) {
        Tensor ta = aT ? Tensor.of(be, a, batch, k, m).transpose(1, 2) : Tensor.of(be, a, batch, m, k);
        Tensor tb = bT ? Tensor.of(be, b, n, k).transpose(0, 1) : Tensor.of(be, b, k, n);
        return new GemmCall(ta, ta.layout().stride(1), ta.layout().stride(2), tb, tb.layout().stride(0),
                tb.layout().stride(1), m, n, k, new int[] {batch}, new long[] {ta.layout().stride(0)}, new long[] {0}, null,
                GemmCall.BIAS_NONE, Activation.NONE);
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    @Test
    void everyRungMatchesTheDoubleProductOnEveryShapeAndLayout() {
        int[][] shapes = {{1, 1, 1}, {7, 33, 17}, {65, 47, 300}, {130, 70, 257}, {64, 64, 64}, {16, 16, 16}, {3, 100, 5},
            {257, 132, 36}, {129, 260, 68}};
        Random rnd = new Random(7);
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2], batch = 2;
            float[] a = random(rnd, batch * m * k), b = random(rnd, k * n);
            for (boolean aT : new boolean[] {false, true}) {
                for (boolean bT : new boolean[] {false, true}) {
                    GemmCall c = call(a, b, batch, m, n, k, aT, bT);
                    float[] av = c.a().toFloatArray(), bv = c.b().toFloatArray();
                    for (Rung r : rungs) {
                        Tensor out = be.allocate(DType.F32, batch, m, n);
                        launch(r, c, out);
                        check(r, Arrays.toString(s) + " aT=" + aT + " bT=" + bT, out.toFloatArray(), av, bv, batch, m, n, k);
                    }
                }
            }
        }
    }

    private static void check(Rung r, String what, float[] got, float[] a, float[] b, int batch, int m, int n, int k) {
        for (int t = 0; t < batch; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double want = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double prod = (double) a[(t * m + i) * k + p] * b[p * n + j];
                        want += prod;
                        mag += Math.abs(prod);
                    }
                    double bound = switch (r.arith()) {
                        case FP32, TF32X3 -> 4 * Math.sqrt(k) * 0x1p-24 * mag + 1e-30;
                        case TF32 -> 0x1p-9 * mag;
                        case BF16 -> 0x1p-7 * mag;
                    };
                    double diff = Math.abs(got[(t * m + i) * n + j] - want);
                    assertTrue(diff <= bound, r.name() + " " + what + " [" + t + "," + i + "," + j + "] got "
                            + got[(t * m + i) * n + j] + " want " + want + " bound " + bound);
                }
            }
        }
    }

    @Test
    void timeEveryRungAtSamShapes() {
        LadderReport report = new LadderReport(be);
        int[][] shapes = {{4096, 2304, 768}, {4096, 3072, 768}, {4096, 768, 3072}, {4096, 4096, 4096}};
        Random rnd = new Random(8);
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            GemmCall c = call(random(rnd, m * k), random(rnd, n * k), 1, m, n, k, false, true);
            Tensor out = be.allocate(DType.F32, 1, m, n);
            for (Rung r : rungs) {
                if (r.name().startsWith("01") && (long) m * n * k > 1L << 33) {
                    continue;
                }
                double ms = report.time(() -> launch(r, c, out));
                double peak = switch (r.arith()) {
                    case FP32 -> report.fp32Peak;
                    case TF32 -> report.tf32Peak;
                    case TF32X3 -> report.tf32Peak / 3;
                    case BF16 -> 2 * report.tf32Peak;
                };
                report.record("sgemm", r.name(), m + "x" + n + "x" + k + " (x W^T)", ms, 2.0 * m * n * k, peak,
                        r.arith().name().toLowerCase(Locale.ROOT));
            }
        }
    }
}
