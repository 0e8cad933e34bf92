#!/usr/bin/env python3
"""Baseline for AttentionBench: vit_b attention with decomposed rel-pos in numpy float32 on OpenBLAS.

Unfused (scores materialised one head at a time): S = scale q k^T + relH + relW, softmax, S v,
i.e. what a framework without a fused kernel does. Threads from OPENBLAS_NUM_THREADS (set it
before the import; run-attention.sh does). Prints best-of-N time and GFLOP/s (4 B Nq Nk d).
"""
import sys
import time

import numpy as np

KINDS = {"windowed": (25 * 12, 14), "global": (12, 64)}  # batch (windows x heads), grid side


def attention(q, k, v, rel_h, rel_w, scale, side):
    out = np.empty_like(q)
    for b in range(q.shape[0]):
        s = (q[b] * np.float32(scale)) @ k[b].T
        s = s.reshape(-1, side, side)
        s += rel_h[b][:, :, None]
        s += rel_w[b][:, None, :]
        s = s.reshape(q.shape[1], -1)
        s -= s.max(axis=1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=1, keepdims=True)
        out[b] = s @ v[b]
    return out


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    names = sys.argv[2:] or list(KINDS)
    rng = np.random.default_rng(0)
    for name in names:
        b, side = KINDS[name]
        n = side * side
        q, k, v = (rng.uniform(-1, 1, (b, n, 64)).astype(np.float32) for _ in range(3))
        rel_h, rel_w = (rng.uniform(-1, 1, (b, n, side)).astype(np.float32) for _ in range(2))
        attention(q, k, v, rel_h, rel_w, 0.125, side)
        best = float("inf")
        for _ in range(reps):
            t0 = time.perf_counter()
            attention(q, k, v, rel_h, rel_w, 0.125, side)
            best = min(best, time.perf_counter() - t0)
        flops = 4.0 * b * n * n * 64
        print(f"numpy-openblas {name} {best * 1e3:.1f} ms {flops / best / 1e9:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
