#!/usr/bin/env bash
# Run on the GPU machine from the repository root once gpu-prepare.sh has run on the build machine
# and tensor/target + kernels/target were carried. Records the driver and which CUDA libraries
# exist, then runs dev.jsam.tensor.cuda's tests with JUnit's console launcher in three cut-off
# phases: host-side, conformance (own kernels and cuBLAS), kernel ladders (validation, timing).
# Everything lands in $OUT: env.txt, tests-*.txt, junit-*/, ladder.csv.
set -uo pipefail
OUT=${OUT:-$PWD/gpu-check-out}
mkdir -p "$OUT"
root=$PWD
prep=$root/tensor/target/gpu-check
{
  echo "== date"; date -u
  echo "== nvidia-smi"; nvidia-smi 2>&1 | head -20
  echo "== driver libraries (ldconfig)"; ldconfig -p 2>/dev/null | grep -E 'libcuda\.so|libcublas|libnvrtc|libcudart' || echo "none in ldconfig"
  echo "== CUDA toolkit libraries on disk"
  find /usr/local /usr/lib /opt -maxdepth 6 \( -name 'libcublas.so*' -o -name 'libnvrtc.so*' -o -name 'libcudart.so*' \) 2>/dev/null | head -40
  echo "== nvcc"; command -v nvcc && nvcc --version | tail -2
  echo "== system java"; java -version 2>&1 || echo "no system java"
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"

java_bin=java
if ! java -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
  java_bin=$prep/jre/bin/java
fi
if [ ! -x "$(command -v "$java_bin")" ] && [ ! -x "$java_bin" ]; then
  echo "no JDK 25 here and no carried runtime at $prep/jre: run kernels/dev/gpu-prepare.sh and carry tensor/target" | tee -a "$OUT/env.txt"
  exit 2
fi
cp="$root/tensor/target/test-classes:$root/tensor/target/classes:$root/kernels/target/classes"
for jar in "$prep"/lib/*.jar; do cp="$cp:$jar"; done
cd "$root/tensor"
# run NAME SECONDS SELECTORS...: one JUnit console run, cut off after SECONDS so a hung kernel
# still leaves the earlier phases' results in $OUT.
run() {
  local name=$1 seconds=$2
  shift 2
  JSAM_LADDER_OUT=$OUT timeout --signal=KILL "$seconds" "$java_bin" --add-modules jdk.incubator.vector \
    --enable-native-access=ALL-UNNAMED -Xmx8g -Djsam.testdata="$root/testdata" \
    -jar "$prep"/console/junit-platform-console-standalone-*.jar execute \
    --class-path "$cp" "$@" --reports-dir "$OUT/junit-$name" --details=tree \
    --disable-banner --disable-ansi-colors > "$OUT/tests-$name.txt" 2>&1
  local rc=$?
  echo "== $name: exit code $rc (124/137: cut off after ${seconds}s)"
  grep -E 'tests (successful|failed|aborted)' "$OUT/tests-$name.txt"
  return $rc
}
rc=0
run host 30 --select-class dev.jsam.tensor.cuda.CudaDryRunTest --select-class dev.jsam.tensor.cuda.PtxSignatureTest \
  --select-class dev.jsam.tensor.cuda.CudaBackendCreationTest || rc=1
run conformance 200 --select-class dev.jsam.tensor.cuda.CudaConformanceTest || rc=1
run ladder 120 --select-class dev.jsam.tensor.cuda.CudaGemmLadderTest \
  --select-class dev.jsam.tensor.cuda.CudaAttentionLadderTest || rc=1
echo "== failures (first 40)"; grep -h '✘' "$OUT"/tests-*.txt | head -40
echo "== first skip reason"; grep -hm1 'Assumption failed' "$OUT"/tests-*.txt | head -1
echo "== ladder"; cat "$OUT/ladder.csv" 2>/dev/null || echo "no ladder.csv"
exit $rc
