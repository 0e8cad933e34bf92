package dev.jsam.bench;

import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Single-thread fused attention per CPU-second (thread CPU time) at vit_b's sizes with
 * decomposed rel-pos: windowed (300 x 196 keys) and one head of global (4096 keys), head dim 64.
 * FLOPs = 4 B Nq Nk d. Pairs with openblas_attention.py --cpu-time. Not JMH.
 */
public final class AttentionCpuTime {
    private AttentionCpuTime() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (CpuBackend be = CpuBackend.create(1)) {
            for (String kind : new String[] {"windowed", "global"}) {
                int b = kind.equals("global") ? 1 : 25 * 12;
                int side = kind.equals("global") ? 64 : 14;
                int n = side * side;
                Tensor q = BenchData.random(be, 1, b, n, 64);
                Tensor k = BenchData.random(be, 2, b, n, 64);
                Tensor v = BenchData.random(be, 3, b, n, 64);
                Tensor rh = BenchData.random(be, 4, b, n, side);
                Tensor rw = BenchData.random(be, 5, b, n, side);
                double best = Double.MAX_VALUE;
                for (int i = 0; i < reps + 3; i++) {
                    long t0 = mx.getCurrentThreadCpuTime();
                    be.attention(q, k, v, 0.125f, rh, rw);
                    best = Math.min(best, mx.getCurrentThreadCpuTime() - t0);
                }
                double flops = 4.0 * b * n * n * 64;
                System.out.printf("jsam %s %.1f ms %.1f GFLOP/cpu-s%n", kind, best / 1e6, flops / best);
            }
        }
    }
}
