#!/usr/bin/env python3
"""OpenBLAS sgemm baseline for bench/README.md: the vit_b linear shapes, float32, best-of-N GFLOP/s.

Uses numpy's BLAS (check it is OpenBLAS with numpy.show_config()); the thread count comes from
OPENBLAS_NUM_THREADS, which must be set before numpy is imported (run-gemm.sh does that).
Only a baseline: numbers are comparable only with jsam figures measured in the same run.
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


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    names = sys.argv[2:] or list(SHAPES)
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
            t0 = time.perf_counter()
            np.matmul(a, w.T, out=c)
            best = min(best, time.perf_counter() - t0)
        print(f"openblas {name} {m}x{k}x{n} {2.0 * m * n * k / best / 1e9:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
