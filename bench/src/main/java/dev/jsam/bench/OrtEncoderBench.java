package dev.jsam.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.jsam.nn.Weights;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;

import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;

/**
 * jsam's vit_b image encoder and the reference encoder exported to ONNX
 * (bench/export_onnx_encoder.py, same synthetic weights) on ONNX Runtime Java's CPU provider,
 * alternately on the same preprocessed 1024 x 1024 input and thread count, in one JVM: best
 * wall time and process CPU time of each after a warm-up, and how far apart the outputs are
 * (relative L2). A baseline, not a test. Usage: OrtEncoderBench MODEL.onnx [threads] [reps].
 */
public final class OrtEncoderBench {
    private static final double GFLOP = 972.0;

    private OrtEncoderBench() {
    }

    public static void main(String[] args) throws OrtException {
        String model = args[0];
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (CpuBackend be = CpuBackend.create(threads);
             OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            Sam sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), be), be), SamConfig.vitB());
            Tensor input = sam.preprocess(BenchData.random(be, 7, 1, 3, 1024, 1024).mul(127.5f).add(127.5f));
            float[] x = input.toFloatArray();
            try (OrtSession session = env.createSession(model, opts);
                 OnnxTensor ortIn = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, 1024, 1024})) {
                String name = session.getInputNames().iterator().next();
                double[] jsam = {Double.MAX_VALUE, Double.MAX_VALUE}, ort = {Double.MAX_VALUE, Double.MAX_VALUE};
                float[] want = null, got = null;
                for (int i = 0; i <= reps; i++) {
                    long c0 = os.getProcessCpuTime(), w0 = System.nanoTime();
                    got = sam.imageEncoder().forward(input).toFloatArray();
                    long c1 = os.getProcessCpuTime(), w1 = System.nanoTime();
                    try (OrtSession.Result r = session.run(java.util.Map.of(name, ortIn))) {
                        FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
                        want = new float[fb.remaining()];
                        fb.get(want);
                    }
                    long c2 = os.getProcessCpuTime(), w2 = System.nanoTime();
                    if (i > 0) {
                        jsam[0] = Math.min(jsam[0], (w1 - w0) / 1e9);
                        jsam[1] = Math.min(jsam[1], (c1 - c0) / 1e9);
                        ort[0] = Math.min(ort[0], (w2 - w1) / 1e9);
                        ort[1] = Math.min(ort[1], (c2 - c1) / 1e9);
                    }
                }
                report("jsam", threads, jsam);
                report("onnxruntime", threads, ort);
                System.out.printf("speed jsam / onnxruntime (its time / ours): wall %.2f, cpu %.2f; outputs apart by relative L2 %.2e%n",
                        ort[0] / jsam[0], ort[1] / jsam[1], relL2(got, want));
            }
        }
    }

    private static void report(String who, int threads, double[] best) {
        System.out.printf("%s encoder threads=%d wall %.2f s %.1f GFLOP/s cpu %.2f s %.1f GFLOP/cpu-s%n",
                who, threads, best[0], GFLOP / best[0], best[1], GFLOP / best[1]);
    }

    private static double relL2(float[] got, float[] want) {
        if (got.length != want.length) {
            return Double.NaN;
        }
        double num = 0, den = 0;
        for (int i = 0; i < got.length; i++) {
            double d = got[i] - want[i];
            num += d * d;
            den += (double) want[i] * want[i];
        }
        return Math.sqrt(num / den);
    }
}
