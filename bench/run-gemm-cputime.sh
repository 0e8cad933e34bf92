#!/usr/bin/env bash
# Single-thread GEMM per CPU-second, jsam (GemmCpuTime) then OpenBLAS (openblas_sgemm.py
# --cpu-time, OPENBLAS_NUM_THREADS=1), with the ratio: the robust comparison on a shared box.
# Usage: bench/run-gemm-cputime.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/bench-env.sh
bench_header 1
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.jsam.bench.GemmCpuTime 5 \
  2>/dev/null | grep '^jsam' > "$out/jsam.txt"
OPENBLAS_NUM_THREADS=1 python3 bench/openblas_sgemm.py --cpu-time 5 > "$out/openblas.txt"
python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
def read(path, tag):
    return {p[1]: float(p[3]) for p in (l.split() for l in open(path)) if p and p[0] == tag}
j, b = read(out + "/jsam.txt", "jsam"), read(out + "/openblas.txt", "openblas")
print(f"{'shape':<10} {'jsam GFLOP/cpu-s':>17} {'OpenBLAS':>9} {'ratio':>6}")
for name in j:
    print(f"{name:<10} {j[name]:17.1f} {b[name]:9.1f} {j[name] / b[name]:6.2f}")
PY
