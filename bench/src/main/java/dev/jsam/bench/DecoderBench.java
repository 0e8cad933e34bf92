package dev.jsam.bench;

import dev.jsam.nn.Weights;
import dev.jsam.sam.ImageEmbedding;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
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
 * The prompt side of vit_b (prompt encoder + mask decoder, 256-dim, synthetic weights) on a
 * fixed embedding of a 534 x 800 image: one point prompt through predict() including the
 * upscaling to 534 x 800 (decoderOnePrompt), and a batch of 64 point prompts through the
 * decoder at low resolution, as segment-everything calls it (decoderBatch64). Both measure a
 * predictor prompted repeatedly on one image, so the decoder's image side (computed at the
 * first prompt and kept) is not in the figures. servePromptSharingImage and servePromptFreshPredictor
 * measure one click of sam serve now (a predictor per request sharing the image side) and before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx3g"})
public class DecoderBench {
    @Param({"2"})
    public int threads;

    private CpuBackend be;
    private SamPredictor predictor;
    private Tensor batchCoords;
    private int[][] batchLabels;

    @Setup(Level.Trial)
    public void setUp() {
        be = CpuBackend.create(threads);
        Sam sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), be), be), SamConfig.vitB());
        predictor = new SamPredictor(sam);
        Tensor features = BenchData.random(be, 3, 1, 256, 64, 64);
        predictor.setEmbedding(new ImageEmbedding(features, 534, 800, 684, 1024, sam.id()));
        float[] xy = new float[64 * 2];
        for (int i = 0; i < 64; i++) {
            xy[2 * i] = 16 + 128 * (i % 8);
            xy[2 * i + 1] = 16 + 84 * (i / 8);
        }
        batchCoords = Tensor.of(be, xy, 64, 1, 2);
        batchLabels = new int[64][];
        for (int i = 0; i < 64; i++) {
            batchLabels[i] = new int[] {1};
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public SamPredictor.Prediction decoderOnePrompt() {
        return predictor.predict(new double[] {500, 375}, new int[] {1}, null, null, true, false);
    }

    /** One prompt the way sam serve answers a click: a predictor per request sharing the image's decoder side. */
    @Benchmark
    public SamPredictor.Prediction servePromptSharingImage() {
        return predictor.sharingImage().predict(new double[] {500, 375}, new int[] {1}, null, null, true, false);
    }

    /** The same click with a fresh predictor per request, as sam serve did before sharingImage (the image side recomputed). */
    @Benchmark
    public SamPredictor.Prediction servePromptFreshPredictor() {
        SamPredictor p = new SamPredictor(predictor.model());
        p.setEmbedding(predictor.getImageEmbedding());
        return p.predict(new double[] {500, 375}, new int[] {1}, null, null, true, false);
    }

    @Benchmark
    public Tensor decoderBatch64() {
        return predictor.predictLowRes(batchCoords, batchLabels, null, null, true).logits();
    }
}
