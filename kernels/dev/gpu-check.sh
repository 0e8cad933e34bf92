#!/usr/bin/env bash
# Run on the GPU machine from the repository root, after kernels/dev/gpu-prepare.sh built
# target/gpu-check/bundle.tar.xz here and the device call carried it. Records the driver and the
# CUDA libraries present, then runs, each phase cut off so that a hung kernel still leaves the
# other phases' results:
#   1. at once, in three JVMs: the backend conformance suite on the GPU (own kernels, cuBLAS and
#      the 3xTF32 tensor-core GEMM) with the module load test, and the golden model tests (tiny
#      checkpoint, synthetic vit_b, segment-everything with the tiny checkpoint) twice: with
#      --device cuda (fp32 kernels) and with --device cuda:tc (3xTF32 tensor cores);
#   then `sam predict` and `sam serve` (one upload, one click) on the CPU and with --device cuda;
#   2. one after the other, for timings: PyTorch's copy bandwidth and cuBLAS sgemm as outside
#      baselines, the reference encoder in PyTorch (fp32, TF32, bf16 + SDPA; needs the bundle's
#      ref/, see gpu-prepare.sh), the kernel ladders, and bench's CudaBench (GEMM engines,
#      memory-bound ops, vit_b / vit_h encoders on every engine, one decoder prompt).
# GPU_CHECK_TIMINGS=0 stops after phase 1. The timing phases' cut-offs shrink to what is left of
# GPU_CHECK_BUDGET_S (default 450 s from the start), and a phase with under 10 s left is skipped, so
# the script ends, with its files written, before a device call of 480 s or more is cut off. Everything lands in $OUT (the device tool returns at
# most 8 files): env.txt, tests-{conformance,golden,golden-tc,ladder}.txt, ladder.csv, torch.txt
# (both PyTorch scripts), bench.txt.
set -uo pipefail
budget=${GPU_CHECK_BUDGET_S:-450}
# cut SECONDS: SECONDS, or what is left of the budget if less; 0 when under 10 s are left
cut() {
  local left=$((budget - SECONDS))
  [ "$left" -lt "$1" ] && set -- "$left"
  [ "$1" -lt 10 ] && set -- 0
  echo "$1"
}
OUT=${OUT:-$PWD/gpu-check-out}
mkdir -p "$OUT"
root=$PWD
b=/tmp/jsam-gpu
rm -rf "$b" && mkdir -p "$b"
python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' target/gpu-check/bundle.tar.xz "$b" || exit 2
cublas=$(find /usr/local /usr/lib /opt \( -name 'libcublas.so.13' -o -name 'libcublas.so.12' \) 2>/dev/null | sort | head -1)
{
  echo "== date"; date -u
  echo "== nvidia-smi"; nvidia-smi 2>&1 | head -20
  echo "== libcuda / libcublas (ldconfig)"; ldconfig -p 2>/dev/null | grep -E 'libcuda\.so|libcublas' || echo "none in ldconfig"
  echo "== libcublas files"; find /usr/local /usr/lib /opt -name 'libcublas.so*' 2>/dev/null | head -20
  echo "== chosen for -Djsam.cublas: ${cublas:-none}"
  echo "== cpus"; nproc
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"
[ -n "$cublas" ] && export LD_LIBRARY_PATH="$(dirname "$cublas")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
java=$b/jre/bin/java
cp=$b/cp/tensor-tests:$b/cp/kernels-tests:$b/cp/sam-tests:$b/cp/kernels:$b/cp/tensor:$b/cp/nn:$b/cp/weights-converter:$b/cp/sam:$b/cp/cli:$b/cp/bench:$b/lib/jcuda-12.0.0.jar:$b/lib/jcuda-natives-12.0.0-linux-x86_64.jar
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx24g -Djsam.testdata="$b/testdata")
[ -n "$cublas" ] && flags+=(-Djsam.cublas="$cublas")
cd "$root/tensor"
# junit NAME SECONDS [JVM FLAGS...] -- SELECTORS...: one JUnit console run, cut off after SECONDS
junit() {
  local name=$1 seconds=$2
  shift 2
  local jvm=()
  while [ "$1" != "--" ]; do jvm+=("$1"); shift; done
  shift
  # each JVM its own temp dir: JCuda extracts its natives there, and two JVMs writing and mapping
  # the same file at once crashed one of them (SIGBUS in the dynamic loader)
  mkdir -p "/tmp/jvm-$name"
  JSAM_LADDER_OUT=$OUT timeout --signal=KILL "$seconds" "$java" "${flags[@]}" -Djava.io.tmpdir="/tmp/jvm-$name" "${jvm[@]}" \
    -jar "$b"/lib/junit-platform-console-standalone-*.jar execute --class-path "$cp" "$@" \
    --reports-dir "/tmp/junit-$name" --details=tree --disable-banner --disable-ansi-colors > "$OUT/tests-$name.txt" 2>&1
  echo "== $name: exit code $? (137: cut off after ${seconds}s)"
  grep -E 'tests (successful|failed|aborted|skipped)' "$OUT/tests-$name.txt"
}
junit conformance 150 -- --select-class dev.jsam.kernels.cuda.CudaConformanceTest --select-class dev.jsam.kernels.cuda.CudaKernelProfileTest \
  --select-class dev.jsam.kernels.cuda.CudaModuleLoadTest &
golden=(--select-class dev.jsam.sam.modeling.ImageEncoderGoldenTest --select-class dev.jsam.sam.SamPredictorGoldenTest
  --select-class dev.jsam.sam.VitBSyntheticGoldenTest
  --select-method 'dev.jsam.sam.amg.AmgGoldenTest#generatorWithTheTinyModelMatchesTheReference')
junit golden 150 -Djsam.test.device=cuda -- "${golden[@]}" &
junit golden-tc 150 -Djsam.test.device=cuda:tc -- "${golden[@]}" &
wait
# the command line end to end: one point on dog.png with the tiny checkpoint, on the CPU and on the GPU
for device in cpu cuda; do
  mkdir -p "/tmp/jvm-cli-$device"
  timeout 60 "$java" "${flags[@]}" -Djava.io.tmpdir="/tmp/jvm-cli-$device" -cp "$cp" dev.jsam.cli.Main predict \
    --checkpoint "$b/testdata/golden/tiny/sam_tiny.safetensors" --image "$b/testdata/images/dog.png" --point 500,375 \
    --out "/tmp/cli-$device" --device "$device" 2>&1 | grep -v WARNING
  echo "== sam predict --device $device: exit code ${PIPESTATUS[0]}"
done
python3 - <<'PY'
import glob, os
from PIL import Image
for f in sorted(glob.glob("/tmp/cli-cpu/mask_*.png")):
    g = "/tmp/cli-cuda/" + os.path.basename(f)
    if not os.path.exists(g):
        print(os.path.basename(f), "missing from --device cuda")
        continue
    a, b = Image.open(f).tobytes(), Image.open(g).tobytes()
    print(os.path.basename(f), sum(x != y for x, y in zip(a, b)), "of", len(a), "pixels differ, cpu vs cuda")
PY
grep -ho '"iou[^,]*' /tmp/cli-cpu/result.json /tmp/cli-cuda/result.json
# sam serve: upload dog.png and ask for one point, on the CPU and with --device cuda
for device in cpu cuda; do
  mkdir -p "/tmp/jvm-serve-$device"
  "$java" "${flags[@]}" -Djava.io.tmpdir="/tmp/jvm-serve-$device" -cp "$cp" dev.jsam.cli.Main serve \
    --checkpoint "$b/testdata/golden/tiny/sam_tiny.safetensors" --device "$device" --port 0 > "/tmp/serve-$device.log" 2>&1 &
  pid=$!
  for _ in $(seq 60); do
    grep -q 'open http' "/tmp/serve-$device.log" || ! kill -0 "$pid" 2>/dev/null && break
    sleep 1
  done
  url=$(grep -o 'http://[0-9.:]*/' "/tmp/serve-$device.log" | head -1)
  if [ -n "$url" ]; then
    python3 - "$url" "$b/testdata/images/dog.png" "$device" <<'PY'
import json, sys, urllib.request
url, image, device = sys.argv[1:]
up = json.load(urllib.request.urlopen(urllib.request.Request(url + "api/images", data=open(image, "rb").read())))
body = json.dumps({"points": [[500, 375]], "labels": [1]}).encode()
r = json.load(urllib.request.urlopen(urllib.request.Request(url + "api/images/" + up["id"] + "/predict", data=body)))
print("sam serve --device", device, "encode", up["encodeMillis"], "ms, click", r["millis"], "ms, ious",
      [round(m["iou"], 6) for m in r["masks"]], "areas", [m["area"] for m in r["masks"]])
PY
  else
    echo "sam serve --device $device did not start:"; grep -v WARNING "/tmp/serve-$device.log" | head -3
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
done
if [ "${GPU_CHECK_TIMINGS:-1}" = 0 ]; then
  grep -h '✘' "$OUT"/tests-*.txt | head -30
  exit 0
fi
# timed NAME SECONDS COMMAND...: runs COMMAND cut off after SECONDS or what is left of the budget
timed() {
  local name=$1 seconds
  seconds=$(cut "$2")
  shift 2
  if [ "$seconds" = 0 ]; then
    echo "== $name skipped: the ${budget}s budget is spent"
    return
  fi
  timeout --signal=KILL "$seconds" "$@"
  echo "== $name: exit code $? (137: cut off after ${seconds}s)"
}
timed "torch baseline" 40 python3 "$root/kernels/dev/torch_baseline.py" > "$OUT/torch.txt" 2>&1
if [ -d "$b/ref/sam_modeling" ]; then
  timed "torch encoder" 120 python3 "$root/kernels/dev/torch_encoder.py" "$b/ref" >> "$OUT/torch.txt" 2>&1
else
  echo "torch encoder skipped: the bundle has no ref/sam_modeling (set REFERENCE_CHECKOUT for gpu-prepare.sh)" >> "$OUT/torch.txt"
fi
cat "$OUT/torch.txt"
ladder=$(cut 120)
if [ "$ladder" = 0 ]; then
  echo "== ladder skipped: the ${budget}s budget is spent"
else
  junit ladder "$ladder" -- --select-class dev.jsam.kernels.cuda.CudaGemmLadderTest --select-class dev.jsam.kernels.cuda.CudaAttentionLadderTest
fi
timed bench 200 "$java" "${flags[@]}" -cp "$cp" dev.jsam.bench.CudaBench > "$OUT/bench.txt" 2>&1
echo "== failures (first 30)"; grep -h '✘' "$OUT"/tests-*.txt | head -30
echo "== skips (first 3)"; grep -h 'Assumption failed\|skipped:' "$OUT"/tests-*.txt | sort | uniq -c | head -3
echo "== golden comparisons (fp32 kernels, 3xTF32)"; grep -c 'relL2=' "$OUT/tests-golden.txt" "$OUT/tests-golden-tc.txt"
echo "== ladder"; cat "$OUT/ladder.csv" 2>/dev/null || echo "no ladder.csv"
echo "== bench"; cat "$OUT/bench.txt"
