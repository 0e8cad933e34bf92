package dev.jsam.bench;

import dev.jsam.nn.Weights;
import dev.jsam.sam.SamAutomaticMaskGenerator;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
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

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Segment everything with the reference's defaults (32 x 32 points, batches of 64) on dog.png
 * with vit_b (synthetic weights): encoder once, 16 decoder batches, filtering, NMS. The image
 * path comes from -Djsam.image (bench/run-model.sh passes testdata/images/dog.png).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class AmgBench {
    @Param({"2"})
    public int threads;

    private CpuBackend be;
    private SamAutomaticMaskGenerator generator;
    private RgbImage image;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        be = CpuBackend.create(threads);
        Sam sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), be), be), SamConfig.vitB());
        generator = new SamAutomaticMaskGenerator(sam);
        image = Images.read(Path.of(System.getProperty("jsam.image", "testdata/images/dog.png")));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public List<MaskRecord> amgDogDefaults() {
        return generator.generate(image);
    }
}
