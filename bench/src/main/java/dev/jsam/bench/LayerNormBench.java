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

/** LayerNorm of vit_b's token matrix (4096 x 768), fast backend against the scalar reference. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class LayerNormBench {
    @Param({"fast", "reference"})
    public String backend;

    @Param({"2"})
    public int threads;

    private CpuBackend be;
    private Tensor x;
    private Tensor w;
    private Tensor b;

    @Setup(Level.Trial)
    public void setUp() {
        be = backend.equals("reference") ? CpuBackend.reference() : CpuBackend.create(threads);
        x = BenchData.random(be, 1, 4096, 768);
        w = BenchData.random(be, 2, 768);
        b = BenchData.random(be, 3, 768);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public Tensor layerNorm() {
        return be.layerNorm(x, w, b, 1e-6f);
    }
}
