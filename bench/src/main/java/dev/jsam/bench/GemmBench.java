package dev.jsam.bench;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The fast CPU GEMM on the vit_b image encoder's linear layers (4096 tokens of a 64x64 grid):
 * x (4096, K) @ W (N, K)^T, W stored (N, K) like a torch Linear weight. Times one linear();
 * bench/run-gemm.sh turns the times into GFLOP/s next to OpenBLAS sgemm on the same shapes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class GemmBench {
    /** name: M x K by K x N. */
    @Param({"vitb_qkv", "vitb_proj", "vitb_mlp1", "vitb_mlp2"})
    public String shape;

    @Param({"2"})
    public int threads;

    @Param({"NONE"})
    public Activation activation;

    private CpuBackend be;
    private Tensor x;
    private Tensor w;

    static int[] mkn(String shape) {
        return switch (shape) {
            case "vitb_qkv" -> new int[] {4096, 768, 2304};
            case "vitb_proj" -> new int[] {4096, 768, 768};
            case "vitb_mlp1" -> new int[] {4096, 768, 3072};
            case "vitb_mlp2" -> new int[] {4096, 3072, 768};
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        };
    }

    @Setup(Level.Trial)
    public void setUp() {
        int[] s = mkn(shape);
        be = CpuBackend.create(threads);
        x = BenchData.random(be, 1, s[0], s[1]);
        w = BenchData.random(be, 2, s[2], s[1]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public Tensor linear() {
        return be.linear(x, w, null, activation);
    }
}
