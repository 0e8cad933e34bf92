#!/usr/bin/env bash
# MobileSAM (vit_t) and HQ-SAM (hq_vit_b) on the CPU, jsam then the reference PyTorch right after in
# the same run, on dog.png with the golden README's formula weights: the encoder's first call and
# median, and one point prompt. Usage: bench/run-variants.sh THREADS MOBILE_SAM_DIR SAM_HQ_DIR [REPS]
# (the two folders hold the reference packages mobile_sam and segment_anything; PYTHON defaults to
# /usr/bin/python3, which needs torch, numpy and Pillow). Debian's python3-torch does its matrix
# products in whatever libblas.so.3 the system has, by default the unoptimised reference BLAS; set
# TORCH_BLAS_DIR to a folder holding OpenBLAS's libblas.so.3 (libopenblas0-pthread's
# openblas-pthread folder: `apt-get download libopenblas0-pthread && dpkg -x *.deb root` needs no
# install) to give the reference an optimised BLAS, with OPENBLAS_NUM_THREADS = THREADS.
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:?threads}"
MOBILE="${2:?folder with the mobile_sam package}"
HQ="${3:?folder with the segment_anything package of SysCV/sam-hq}"
REPS="${4:-3}"
./mvnw -q -pl bench -am package -DskipTests
. bench/bench-env.sh
bench_header "$THREADS"
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.jsam.bench.VariantBench \
  "$THREADS" testdata/images/dog.png "$REPS" 2>/dev/null
echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# reference BLAS: ${TORCH_BLAS_DIR:-system default libblas.so.3}"
LD_LIBRARY_PATH="${TORCH_BLAS_DIR:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS="$THREADS" \
  PYTHONDONTWRITEBYTECODE=1 "${PYTHON:-/usr/bin/python3}" bench/reference_variants.py "$THREADS" testdata/images/dog.png \
  "$MOBILE" "$HQ" "$REPS" 2>/dev/null
echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
