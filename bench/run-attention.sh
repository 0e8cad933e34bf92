#!/usr/bin/env bash
# Runs jsam's fused attention (JMH AttentionBench) and the unfused numpy/OpenBLAS baseline
# (bench/openblas_attention.py) back to back on vit_b's windowed and global attention, same
# thread count; prints best-of-N ms, GFLOP/s (4 B Nq Nk d) and the speed ratio jsam / numpy.
# Usage: bench/run-attention.sh [threads]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:-2}"
. bench/bench-env.sh
bench_header "$THREADS"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar AttentionBench \
  -p threads="$THREADS" -rf json -rff "$out/jmh.json" > "$out/jmh.log" 2>&1
OPENBLAS_NUM_THREADS="$THREADS" python3 bench/openblas_attention.py 3 > "$out/numpy.txt"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
kinds = {"windowed": (25 * 12, 196), "global": (12, 4096)}
base = {}
for line in open(out + "/numpy.txt"):
    p = line.split()
    base[p[1]] = float(p[2])
print(f"{'attention':<10} {'jsam ms':>9} {'GFLOP/s':>8} {'numpy ms':>9} {'ratio':>6}")
for r in json.load(open(out + "/jmh.json")):
    kind = r["params"]["kind"]
    b, n = kinds[kind]
    best = min(t for fork in r["primaryMetric"]["rawData"] for t in fork)
    gf = 4.0 * b * n * n * 64 / (best / 1e3) / 1e9
    print(f"{kind:<10} {best:9.1f} {gf:8.1f} {base[kind]:9.1f} {base[kind] / best:6.2f}")
PY
