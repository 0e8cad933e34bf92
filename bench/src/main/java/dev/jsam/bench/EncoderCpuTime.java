package dev.jsam.bench;

import dev.jsam.nn.Weights;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.SyntheticWeights;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;

import java.lang.management.ManagementFactory;

/**
 * The vit_b image encoder (synthetic weights, fp32, one 1024 x 1024 input, 972 GFLOP) per
 * CPU-second of the whole process, beside its wall time: on a shared machine the CPU time is
 * what the encoder itself spent (GC and JIT threads included), the wall time mostly what the
 * neighbours left. Pairs with openblas_sgemm.py --cpu-time (bench/run-encoder-cputime.sh).
 * Usage: EncoderCpuTime [threads] [reps]. Not JMH.
 */
public final class EncoderCpuTime {
    private static final double GFLOP = 972.0;

    private EncoderCpuTime() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (CpuBackend be = CpuBackend.create(threads)) {
            Sam sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), be), be), SamConfig.vitB());
            Tensor input = sam.preprocess(BenchData.random(be, 7, 1, 3, 1024, 1024).mul(127.5f).add(127.5f));
            sam.imageEncoder().forward(input);
            double bestCpu = Double.MAX_VALUE, bestWall = Double.MAX_VALUE;
            for (int i = 0; i < reps; i++) {
                long c0 = os.getProcessCpuTime(), w0 = System.nanoTime();
                sam.imageEncoder().forward(input);
                bestCpu = Math.min(bestCpu, (os.getProcessCpuTime() - c0) / 1e9);
                bestWall = Math.min(bestWall, (System.nanoTime() - w0) / 1e9);
            }
            System.out.printf("jsam encoder threads=%d cpu %.2f s %.1f GFLOP/cpu-s wall %.2f s %.1f GFLOP/s%n",
                    threads, bestCpu, GFLOP / bestCpu, bestWall, GFLOP / bestWall);
        }
    }
}
