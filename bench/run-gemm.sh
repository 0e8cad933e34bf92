#!/usr/bin/env bash
# Runs jsam's fast CPU GEMM (JMH GemmBench, linear() on vit_b's shapes) and OpenBLAS sgemm
# (numpy, bench/openblas_sgemm.py) back to back with the same thread count, then prints
# best-of-N GFLOP/s for each and the ratio jsam / OpenBLAS. Usage: bench/run-gemm.sh [threads]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:-2}"
. bench/bench-env.sh
bench_header "$THREADS"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBench \
  -p threads="$THREADS" -rf json -rff "$out/jmh.json" > "$out/jmh.log" 2>&1
OPENBLAS_NUM_THREADS="$THREADS" python3 bench/openblas_sgemm.py 10 > "$out/openblas.txt"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
shapes = {"vitb_qkv": (4096, 768, 2304), "vitb_proj": (4096, 768, 768),
          "vitb_mlp1": (4096, 768, 3072), "vitb_mlp2": (4096, 3072, 768)}
blas = {}
for line in open(out + "/openblas.txt"):
    if line.startswith("openblas "):
        parts = line.split()
        blas[parts[1]] = float(parts[3])
print(f"{'shape':<10} {'M x K x N':<16} {'jsam GFLOP/s':>12} {'OpenBLAS':>9} {'ratio':>6}")
for r in json.load(open(out + "/jmh.json")):
    name = r["params"]["shape"]
    m, k, n = shapes[name]
    raw = [t for fork in r["primaryMetric"]["rawData"] for t in fork]
    best_ms = min(raw)
    gf = 2.0 * m * n * k / (best_ms / 1e3) / 1e9
    b = blas.get(name, float("nan"))
    print(f"{name:<10} {f'{m}x{k}x{n}':<16} {gf:12.1f} {b:9.1f} {gf / b:6.2f}")
PY
