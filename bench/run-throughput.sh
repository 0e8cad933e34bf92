#!/usr/bin/env bash
# Issue 17 target 4 in one run: vit_b (the golden README's formula weights) on dog.png, one point
# prompt and segment everything with the reference's defaults, jsam (ThroughputBench) then the
# reference PyTorch (bench/reference_throughput.py, facebookresearch/segment-anything at dca509f
# from the mirror) right after, both on THREADS threads, each task's first call in its process
# and the warm ones after it. Usage: bench/run-throughput.sh THREADS [PROMPT_REPS] [AMG_REPS]
# PYTHON defaults to /usr/bin/python3 (torch, numpy, Pillow); TORCH_BLAS_DIR as in run-variants.sh
# (a folder holding OpenBLAS's libblas.so.3; without it Debian's torch uses the reference BLAS).
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:?threads}"
PROMPT_REPS="${2:-15}"
AMG_REPS="${3:-1}"
MIRROR="${SA_MIRROR:-/work/.mirror/facebookresearch+segment-anything/repo}"
./mvnw -q -pl bench -am package -DskipTests
. bench/bench-env.sh
git --git-dir="$MIRROR" archive --prefix=segment_anything/ dca509f:segment_anything | tar -x -C "$out"
bench_header "$THREADS"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.jsam.bench.ThroughputBench \
  "$THREADS" testdata/images/dog.png "$PROMPT_REPS" prompt 2>/dev/null
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.jsam.bench.ThroughputBench \
  "$THREADS" testdata/images/dog.png "$AMG_REPS" amg 2>/dev/null
echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# reference BLAS: ${TORCH_BLAS_DIR:-system default libblas.so.3}"
for task in prompt amg; do
  reps="$PROMPT_REPS"; [ "$task" = amg ] && reps="$AMG_REPS"
  LD_LIBRARY_PATH="${TORCH_BLAS_DIR:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS="$THREADS" \
    PYTHONDONTWRITEBYTECODE=1 "${PYTHON:-/usr/bin/python3}" bench/reference_throughput.py "$THREADS" \
    testdata/images/dog.png "$out" "$reps" "$task" 2>/dev/null
done
echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
