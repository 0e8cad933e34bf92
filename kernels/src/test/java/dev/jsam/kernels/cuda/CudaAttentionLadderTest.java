package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attention kernel ladder's harness: rung 01 is unfused (q k^T, bias adds and softmax
 * through global memory, then P v, from the backend's own ops), rung 02 the fused online-softmax
 * attention_f32 (a warp per 4 queries, lane j scores key j), rung 03 attention_tiled_f32 (a
 * register tile of 4 queries x 4 keys per thread, the production kernel for head dims divisible
 * by 4). Validates every rung against the CPU oracle at SAM's window and global shapes (head dims
 * 64 and 80, which needs more than 48 KB of shared memory in rung 03, small odd shapes, and 160,
 * which takes the unfused path), then times the rungs.
 * Skipped without a GPU.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaAttentionLadderTest {
    private CudaBackend be;
    private final Backend ref = CpuBackend.reference();

    @BeforeEach
    void setUp() {
        CudaTestSupport.assumeGpu();
        if (be == null) {
            be = CudaBackend.create(0);
        }
    }

    @AfterAll
    void close() {
        if (be != null) {
            be.close();
        }
        ref.close();
    }

    private static float[] random(Random r, int n, float range) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (r.nextFloat() * 2 - 1) * range;
        }
        return x;
    }

    /** q, k, v, relH, relW on one backend from the same seed. */
    private static Tensor[] inputs(Backend on, int b, int n, int d, int grid, long seed) {
        Random r = new Random(seed);
        return new Tensor[] {Tensor.of(on, random(r, b * n * d, 1f), b, n, d), Tensor.of(on, random(r, b * n * d, 1f), b, n, d),
            Tensor.of(on, random(r, b * n * d, 1f), b, n, d), Tensor.of(on, random(r, b * n * grid, 0.5f), b, n, grid),
            Tensor.of(on, random(r, b * n * grid, 0.5f), b, n, grid)};
    }

    private Tensor unfused(Tensor[] t, float scale, int grid) {
        int b = t[0].dim(0), n = t[0].dim(1);
        Tensor s = be.binary(BinaryOp.MUL, be.matmul(t[0], t[1].transpose(1, 2)), scale).reshape(b, n, grid, grid);
        s = be.binary(BinaryOp.ADD, be.binary(BinaryOp.ADD, s, t[3].unsqueeze(3)), t[4].unsqueeze(2));
        return be.matmul(be.softmax(s.reshape(b, n, grid * grid)), t[2]);
    }

    @Test
    void everyRungMatchesTheOracle() {
        int[][] cases = {{3, 196, 64, 14}, {2, 196, 80, 14}, {1, 1024, 64, 32}, {2, 49, 160, 7}, {1, 4, 8, 2}, {2, 25, 12, 5},
            {1, 100, 6, 10}};
        for (int[] c : cases) {
            Tensor[] g = inputs(be, c[0], c[1], c[2], c[3], 11), w = inputs(ref, c[0], c[1], c[2], c[3], 11);
            float scale = (float) (1 / Math.sqrt(c[2]));
            float[] want = ref.attention(w[0], w[1], w[2], scale, w[3], w[4]).toFloatArray();
            check("unfused", c, unfused(g, scale, c[3]).toFloatArray(), want);
            check("production", c, be.attention(g[0], g[1], g[2], scale, g[3], g[4]).toFloatArray(), want);
            if (c[2] <= 128) {
                check("row kernel", c, be.attention(g[0], g[1], g[2], scale, g[3], g[4], false).toFloatArray(), want);
            }
            if (c[2] <= 128 && c[2] % 4 == 0) {
                check("tiled kernel", c, be.attention(g[0], g[1], g[2], scale, g[3], g[4], true).toFloatArray(), want);
                check("tiled kernel, no bias", c, be.attention(g[0], g[1], g[2], scale, null, null, true).toFloatArray(),
                        ref.attention(w[0], w[1], w[2], scale, null, null).toFloatArray());
            }
        }
    }

    private static void check(String rung, int[] c, float[] got, float[] want) {
        for (int i = 0; i < want.length; i++) {
            double bound = 2e-5 * (1 + Math.abs(want[i]));
            assertTrue(Math.abs(got[i] - want[i]) <= bound, rung + " " + Arrays.toString(c) + " [" + i + "] got " + got[i]
                    + " want " + want[i]);
        }
    }

    @Test
    void timeTheRungsAtSamShapes() {
        LadderReport report = new LadderReport(be);
        int[][] cases = {{300, 196, 64, 14}, {12, 4096, 64, 64}, {16, 4096, 80, 64}};
        for (int[] c : cases) {
            Tensor[] t = inputs(be, c[0], c[1], c[2], c[3], 12);
            float scale = (float) (1 / Math.sqrt(c[2]));
            double flops = 4.0 * c[0] * c[1] * c[1] * c[2];
            String shape = "B" + c[0] + " N" + c[1] + " d" + c[2] + " rel" + c[3] + "x" + c[3];
            report.record("attention", "01_unfused", shape, report.time(() -> unfused(t, scale, c[3])), flops, report.fp32Peak,
                    "fp32");
            report.record("attention", "02_fused_rows", shape,
                    report.time(() -> be.attention(t[0], t[1], t[2], scale, t[3], t[4], false)), flops, report.fp32Peak,
                    "fp32");
            report.record("attention", "03_fused_tiled", shape,
                    report.time(() -> be.attention(t[0], t[1], t[2], scale, t[3], t[4], true)), flops, report.fp32Peak,
                    "fp32");
        }
    }
}
