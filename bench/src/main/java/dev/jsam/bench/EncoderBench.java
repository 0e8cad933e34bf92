package dev.jsam.bench;

import dev.jsam.nn.Weights;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.modeling.Sam;
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
 * The whole vit_b image encoder (synthetic weights, fp32) on one 1024 x 1024 input: about
 * 486 GMAC = 972 GFLOP. bench/run-model.sh turns the time into an effective GFLOP/s and a ratio
 * to OpenBLAS sgemm on the encoder's GEMM shapes, measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class EncoderBench {
    @Param({"2"})
    public int threads;

    private CpuBackend be;
    private Sam sam;
    private Tensor input;

    @Setup(Level.Trial)
    public void setUp() {
        be = CpuBackend.create(threads);
        sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), be), be), SamConfig.vitB());
        input = sam.preprocess(BenchData.random(be, 7, 1, 3, 1024, 1024).mul(127.5f).add(127.5f));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public Tensor vitbEncoder() {
        return sam.imageEncoder().forward(input);
    }
}
