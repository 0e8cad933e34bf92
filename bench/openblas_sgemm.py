#!/usr/bin/env python3
"""OpenBLAS sgemm baseline for bench/README.md: the vit_b linear shapes, float32, best-of-N GFLOP/s.

Uses numpy's BLAS (check it is OpenBLAS with numpy.show_config()); the thread count comes from
OPENBLAS_NUM_THREADS, which must be set before numpy is imported (run-gemm.sh does that).
Only a baseline: numbers are comparable only with jsam figures measured in the same run.
With --cpu-time (and OPENBLAS_NUM_THREADS=1) the rate is per CPU-second of the process, to
pair with dev.jsam.bench.GemmCpuTime on a machine whose wall clock is shared.
"""
import os
import sys
import time

import numpy as np

SHAPES = {  # name: (M, K, N) for (M x K) @ (K x N)
    "vitb_qkv": (4096, 768, 2304),
    "vitb_proj": (4096, 768, 768),
    "vitb_mlp1": (4096, 768, 3072),
    "vitb_mlp2": (4096, 3072, 768),
}


def encoder_weighted(path):
    """The rate of an output of this script over the four shapes weighted by their FLOPs (each
    appears once per vit_b block): the sgemm rate the encoder's linear layers would see."""
    rate = {p[1]: float(p[3]) for p in (line.split() for line in open(path)) if p and p[0] == "openblas"}
    flops = {k: 2.0 * m * kk * n for k, (m, kk, n) in SHAPES.items()}
    return sum(flops.values()) / sum(flops[k] / rate[k] for k in SHAPES)


def main():
    args = sys.argv[1:]
    cpu_time = "--cpu-time" in args
    args = [a for a in args if a != "--cpu-time"]
    clock = time.process_time if cpu_time else time.perf_counter
    unit = "GFLOP/cpu-s" if cpu_time else "GFLOP/s"
    reps = int(args[0]) if args else 10
    names = args[1:] or list(SHAPES)
    rng = np.random.default_rng(0)
    print(f"# numpy {np.__version__}, OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    for name in names:
        m, k, n = SHAPES[name]
        a = rng.standard_normal((m, k), dtype=np.float32)
        w = rng.standard_normal((n, k), dtype=np.float32)  # stored (N, K) like a torch Linear weight
        c = np.empty((m, n), dtype=np.float32)
        np.matmul(a, w.T, out=c)
        best = float("inf")
        for _ in range(reps):
            t0 = clock()
            np.matmul(a, w.T, out=c)
            best = min(best, clock() - t0)
        print(f"openblas {name} {m}x{k}x{n} {2.0 * m * n * k / best / 1e9:.1f} {unit}")


if __name__ == "__main__":
    main()
