package dev.jsam.bench;

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
 * Fused attention at vit_b's two sizes, with decomposed relative positions: windowed (25
 * windows x 12 heads, 14x14 = 196 tokens, head dim 64) and global (12 heads, 64x64 = 4096
 * tokens, head dim 64). FLOPs counted as 4 * B * Nq * Nk * d (the two matrix products).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class AttentionBench {
    @Param({"windowed", "global"})
    public String kind;

    @Param({"2"})
    public int threads;

    private CpuBackend be;
    private Tensor q;
    private Tensor k;
    private Tensor v;
    private Tensor relH;
    private Tensor relW;

    @Setup(Level.Trial)
    public void setUp() {
        int b = kind.equals("global") ? 12 : 25 * 12;
        int side = kind.equals("global") ? 64 : 14;
        int n = side * side;
        be = CpuBackend.create(threads);
        q = BenchData.random(be, 1, b, n, 64);
        k = BenchData.random(be, 2, b, n, 64);
        v = BenchData.random(be, 3, b, n, 64);
        relH = BenchData.random(be, 4, b, n, side);
        relW = BenchData.random(be, 5, b, n, side);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public Tensor attention() {
        return be.attention(q, k, v, 0.125f, relH, relW);
    }
}
