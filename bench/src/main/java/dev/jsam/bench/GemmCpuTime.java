package dev.jsam.bench;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Single-thread GEMM throughput per CPU-second (thread CPU time, not wall time) on the vit_b
 * linear shapes: on a shared, oversubscribed machine wall-clock GFLOP/s mostly measures the
 * neighbours, CPU time measures the kernel. Pairs with openblas_sgemm.py --cpu-time. Not JMH.
 */
public final class GemmCpuTime {
    private GemmCpuTime() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (CpuBackend be = CpuBackend.create(1)) {
            for (String name : new String[] {"vitb_qkv", "vitb_proj", "vitb_mlp1", "vitb_mlp2"}) {
                int[] s = GemmBench.mkn(name);
                Tensor x = BenchData.random(be, 1, s[0], s[1]);
                Tensor w = BenchData.random(be, 2, s[2], s[1]);
                double best = 0;
                for (int i = 0; i < reps + 2; i++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    be.linear(x, w, null, Activation.NONE);
                    long t1 = mx.getCurrentThreadCpuTime();
                    best = Math.max(best, 2.0 * s[0] * s[1] * s[2] / (t1 - t0));
                }
                System.out.printf("jsam %s %dx%dx%d %.1f GFLOP/cpu-s%n", name, s[0], s[1], s[2], best);
            }
        }
    }
}
