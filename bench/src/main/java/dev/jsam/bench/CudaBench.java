package dev.jsam.bench;

import dev.jsam.nn.Weights;
import dev.jsam.sam.ImageEmbedding;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;
import dev.jsam.kernels.cuda.CudaBackend;
import dev.jsam.kernels.cuda.CudaUnavailableException;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The GPU figures of bench/README.md, run by kernels/dev/gpu-check.sh on the device machine: a
 * plain harness rather than JMH, because each figure needs a device synchronisation and the
 * lease is minutes long. Every time is the median of several timed runs after warm-up, each
 * run ended by {@link CudaBackend#synchronize()}. Parts (first argument, comma-separated):
 * gemm (the vit_b encoder's linear layers on each GEMM engine, in TFLOP/s), memory (layer norm,
 * softmax, GELU and add on a 100 MB tensor, in GB/s of bytes read plus written), encoder (vit_b
 * and vit_h, synthetic weights, on each engine), decoder (one vit_b point prompt with upscaling
 * to 534 x 800), profile (GPU time per kernel of one vit_b encoding, our kernels). Engines: cuda
 * (our fp32 kernel), cuda:0:cublas, cuda:0:tf32, cuda:0:tc (3xTF32 tensor cores) and cuda:0:bf16;
 * each engine's encoder features are compared with the first's (relative L2, max abs).
 */
public final class CudaBench {
    private static final List<String> ENGINES = List.of("cuda", "cuda:0:cublas", "cuda:0:tf32", "cuda:0:tc", "cuda:0:bf16");
    /** Encoder features of the first engine (our exact fp32 kernel), per model, to compare the others with. */
    private static final Map<String, float[]> FP32_FEATURES = new HashMap<>();

    private CudaBench() {
    }

    public static void main(String[] args) {
        List<String> parts = Arrays.asList((args.length > 0 ? args[0] : "gemm,memory,encoder,decoder,profile").split(","));
        for (String engine : ENGINES) {
            CudaBackend be;
            try {
                be = CudaBackend.forDevice(engine);
            } catch (CudaUnavailableException e) {
                System.out.println(engine + ": unavailable: " + e.getMessage());
                continue;
            }
            try (be) {
                System.out.println("== " + be.describe());
                if (parts.contains("gemm")) {
                    gemm(be, engine);
                }
                if (parts.contains("memory") && engine.equals("cuda")) {
                    memory(be);
                }
                if (parts.contains("encoder")) {
                    encoder(be, engine, SamConfig.vitB(), "vit_b");
                    encoder(be, engine, SamConfig.vitH(), "vit_h");
                }
                if (parts.contains("decoder")) {
                    decoder(be, engine);
                }
                if (parts.contains("profile") && engine.equals("cuda")) {
                    profile(be);
                }
            }
        }
    }

    /** Median milliseconds of reps timed runs of body (each ended by a synchronisation) after warm runs. */
    private static double medianMs(CudaBackend be, int warm, int reps, int callsPerRep, Supplier<Tensor> body) {
        for (int i = 0; i < warm; i++) {
            body.get();
        }
        be.synchronize();
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            for (int c = 0; c < callsPerRep; c++) {
                body.get();
            }
            be.synchronize();
            ms[r] = (System.nanoTime() - t0) / 1e6 / callsPerRep;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    private static void gemm(CudaBackend be, String engine) {
        // {m, k, n}: the vit_b encoder's linear layers, then decoder-sized ones (7 tokens, 4096 image tokens)
        int[][] shapes = {{4096, 768, 2304}, {4096, 768, 768}, {4096, 768, 3072}, {4096, 3072, 768}, {7, 256, 256},
            {4096, 256, 128}, {4096, 128, 256}, {4096, 256, 2048}};
        String[] names = {"vitb_qkv", "vitb_proj", "vitb_mlp1", "vitb_mlp2", "dec_tokens", "dec_down", "dec_up", "dec_mlp"};
        for (int s = 0; s < shapes.length; s++) {
            int m = shapes[s][0];
            int k = shapes[s][1];
            int n = shapes[s][2];
            Tensor x = BenchData.random(be, 1, m, k);
            Tensor w = BenchData.random(be, 2, n, k);
            Tensor b = BenchData.random(be, 3, n);
            double ms = medianMs(be, 3, 7, 20, () -> be.linear(x, w, b, Activation.NONE));
            double tflops = 2.0 * m * k * n / (ms * 1e-3) / 1e12;
            System.out.printf("gemm %-14s %-10s %dx%dx%d  %8.3f ms  %6.2f TFLOP/s%n", engine, names[s], m, n, k, ms, tflops);
        }
    }

    private static void memory(CudaBackend be) {
        int rows = 32768;
        int cols = 768;
        double bytes = 4.0 * rows * cols;
        Tensor x = BenchData.random(be, 4, rows, cols);
        Tensor y = BenchData.random(be, 5, rows, cols);
        Tensor g = BenchData.random(be, 6, cols);
        Tensor bias = BenchData.random(be, 7, cols);
        report("layernorm", 2 * bytes, medianMs(be, 3, 7, 20, () -> be.layerNorm(x, g, bias, 1e-6f)));
        report("softmax", 2 * bytes, medianMs(be, 3, 7, 20, () -> be.softmax(x)));
        report("gelu", 2 * bytes, medianMs(be, 3, 7, 20, x::gelu));
        report("add", 3 * bytes, medianMs(be, 3, 7, 20, () -> x.add(y)));
        report("copy (transpose)", 2 * bytes, medianMs(be, 3, 7, 20, () -> x.transpose(0, 1).contiguous()));
    }

    private static void report(String op, double bytes, double ms) {
        System.out.printf("memory %-18s 32768x768 f32  %8.3f ms  %7.1f GB/s%n", op, ms, bytes / (ms * 1e-3) / 1e9);
    }

    private static void encoder(CudaBackend be, String engine, SamConfig config, String name) {
        long t0 = System.nanoTime();
        Sam sam = new Sam(Weights.of(new SyntheticWeights(config, be), be), config);
        double loadS = (System.nanoTime() - t0) / 1e9;
        Tensor input = sam.preprocess(BenchData.random(be, 7, 1, 3, 1024, 1024).mul(127.5f).add(127.5f));
        double ms = medianMs(be, 2, 5, 1, () -> sam.imageEncoder().forward(input));
        float[] features = sam.imageEncoder().forward(input).toFloatArray();
        float[] fp32 = FP32_FEATURES.putIfAbsent(name, features);
        String vsFp32 = fp32 == null ? "reference for the other engines" : difference(features, fp32);
        System.out.printf("encoder %-14s %-6s %9.2f ms  features vs fp32 kernel: %s  (weights generated and uploaded in %.1f s; %s)%n",
                engine, name, ms, vsFp32, loadS, be.memoryStats());
    }

    private static String difference(float[] got, float[] ref) {
        double num = 0;
        double den = 0;
        double maxAbs = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = (double) got[i] - ref[i];
            num += d * d;
            den += (double) ref[i] * ref[i];
            maxAbs = Math.max(maxAbs, Math.abs(d));
        }
        return String.format("relL2 %.2e maxAbs %.2e", Math.sqrt(num / den), maxAbs);
    }

    private static void profile(CudaBackend be) {
        Sam sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), be), be), SamConfig.vitB());
        Tensor input = sam.preprocess(BenchData.random(be, 7, 1, 3, 1024, 1024).mul(127.5f).add(127.5f));
        medianMs(be, 2, 1, 1, () -> sam.imageEncoder().forward(input));
        long t0 = System.nanoTime();
        be.startKernelProfile();
        sam.imageEncoder().forward(input);
        String table = be.stopKernelProfile();
        System.out.printf("profile vit_b encoder, one run, %.2f ms wall clock with events:%n%s", (System.nanoTime() - t0) / 1e6, table);
    }

    private static void decoder(CudaBackend be, String engine) {
        Sam sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), be), be), SamConfig.vitB());
        SamPredictor predictor = new SamPredictor(sam);
        predictor.setEmbedding(new ImageEmbedding(BenchData.random(be, 3, 1, 256, 64, 64), 534, 800, 684, 1024, sam.id()));
        String before = be.memoryStats();
        double ms = medianMs(be, 5, 21, 1,
                () -> predictor.predict(new double[] {500, 375}, new int[] {1}, null, null, true, false).masks());
        Tensor coords = Tensor.of(be, new float[] {640, 480}, 1, 1, 2);
        double lowRes = medianMs(be, 5, 21, 1, () -> predictor.predictLowRes(coords, new int[][] {{1}}, null, null, true).logits());
        System.out.printf("decoder %-14s vit_b one point prompt, masks 534x800: %8.3f ms (decoder alone, 256x256 logits: %.3f ms; %s; before: %s)%n",
                engine, ms, lowRes, be.memoryStats(), before);
    }
}
