#!/usr/bin/env bash
# The side-by-side table of bench/README.md in one run: jsam's vit_b encoder and ONNX Runtime
# Java running the reference encoder (exported by bench/export_onnx_encoder.py, same synthetic
# weights), alternately in one JVM (OrtEncoderBench), between two measurements of OpenBLAS sgemm
# on the encoder's GEMM shapes with the same thread count (FLOP-weighted), and each encoder's
# rate as a fraction of that sgemm rate, by wall clock and per CPU-second (OpenBLAS per CPU-second
# is measured single-threaded; with one thread both ratios are CPU-time ones).
# Usage: bench/run-ort.sh [MODEL.onnx] [threads] [reps]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-bench/target/onnx/vit_b_encoder_synthetic.onnx}"
THREADS="${2:-2}"
REPS="${3:-3}"
. bench/bench-env.sh
bench_header "$THREADS"
blas() {
  OPENBLAS_NUM_THREADS="$THREADS" python3 bench/openblas_sgemm.py 5 > "$out/blas-wall-$1.txt"
  OPENBLAS_NUM_THREADS=1 python3 bench/openblas_sgemm.py --cpu-time 5 > "$out/blas-cpu-$1.txt"
}
blas 1
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx3g -cp bench/target/benchmarks.jar \
  dev.jsam.bench.OrtEncoderBench "$MODEL" "$THREADS" "$REPS" 2>/dev/null | grep -E '^(jsam|onnxruntime|speed)' > "$out/enc.txt"
blas 2
python3 - "$out" <<'PY'
import sys
sys.path.insert(0, "bench")
from openblas_sgemm import encoder_weighted
out = sys.argv[1]
wall = [encoder_weighted(f"{out}/blas-wall-{i}.txt") for i in (1, 2)]
cpu = [encoder_weighted(f"{out}/blas-cpu-{i}.txt") for i in (1, 2)]
print(open(out + "/enc.txt").read().strip())
print(f"OpenBLAS sgemm, encoder-weighted: {wall[0]:.1f} / {wall[1]:.1f} GFLOP/s (before / after), "
      f"1 thread {cpu[0]:.1f} / {cpu[1]:.1f} GFLOP/cpu-s")
for line in open(out + "/enc.txt"):
    p = line.split()
    if p[0] in ("jsam", "onnxruntime"):
        gw, gc = float(p[p.index("wall") + 3]), float(p[p.index("cpu") + 3])
        print(f"{p[0]} / OpenBLAS: wall {gw / max(wall):.2f}-{gw / min(wall):.2f}, per CPU-second {gc / max(cpu):.2f}-{gc / min(cpu):.2f}")
PY
