#!/usr/bin/env bash
# The vit_b encoder per CPU-second (EncoderCpuTime, one thread unless told) against OpenBLAS
# sgemm per CPU-second on the encoder's four GEMM shapes weighted by their FLOPs (one thread,
# measured before and after the encoder), with the ratio: issue 17's target 2 measured in a way
# a shared machine disturbs little. Usage: bench/run-encoder-cputime.sh [threads] [reps]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:-1}"
REPS="${2:-2}"
. bench/bench-env.sh
bench_header "$THREADS"
OPENBLAS_NUM_THREADS=1 python3 bench/openblas_sgemm.py --cpu-time 5 > "$out/openblas1.txt"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx3g ${JSAM_JAVA_OPTS:-} -cp bench/target/benchmarks.jar \
  dev.jsam.bench.EncoderCpuTime "$THREADS" "$REPS" 2>/dev/null | grep '^jsam' > "$out/jsam.txt"
OPENBLAS_NUM_THREADS=1 python3 bench/openblas_sgemm.py --cpu-time 5 > "$out/openblas2.txt"
python3 - "$out" <<'PY'
import sys
sys.path.insert(0, "bench")
from openblas_sgemm import encoder_weighted
out = sys.argv[1]
b1, b2 = encoder_weighted(out + "/openblas1.txt"), encoder_weighted(out + "/openblas2.txt")
line = open(out + "/jsam.txt").read().split()
enc = float(line[line.index("cpu") + 3])
print(" ".join(line))
print(f"OpenBLAS sgemm, 1 thread, encoder-weighted: {b1:.1f} before, {b2:.1f} after GFLOP/cpu-s")
print(f"encoder / sgemm per CPU-second: {enc / max(b1, b2):.2f} to {enc / min(b1, b2):.2f}")
PY
