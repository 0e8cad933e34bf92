#!/usr/bin/env bash
# The model-level figures of bench/README.md in one run: the vit_b encoder (JMH, synthetic
# weights) with its effective GFLOP/s against OpenBLAS sgemm on the encoder's GEMM shapes
# measured right after, the decoder (one prompt, a batch of 64), segment-everything on dog.png,
# and the peak RSS of encoding one image with mapped fp32 weights. Usage: bench/run-model.sh [threads]
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS="${1:-2}"
./mvnw -q -pl bench -am package -DskipTests
. bench/bench-env.sh
bench_header "$THREADS"
java="$JAVA_HOME/bin/java --add-modules jdk.incubator.vector"
$java -jar bench/target/benchmarks.jar EncoderBench -p threads="1,$THREADS" -rf json -rff "$out/enc.json" > "$out/enc.log" 2>&1
$java -jar bench/target/benchmarks.jar DecoderBench -p threads="$THREADS" -rf json -rff "$out/dec.json" > "$out/dec.log" 2>&1
OPENBLAS_NUM_THREADS="$THREADS" python3 bench/openblas_sgemm.py 5 > "$out/openblas.txt"
$java -Djsam.image=testdata/images/dog.png -jar bench/target/benchmarks.jar AmgBench -p threads="$THREADS" \
  -jvmArgsAppend "-Djsam.image=$PWD/testdata/images/dog.png" -rf json -rff "$out/amg.json" > "$out/amg.log" 2>&1
$java -cp bench/target/benchmarks.jar dev.jsam.bench.EncodeOnce write "$out/vitb.safetensors"
$java -Xmx384m -XX:+UseParallelGC -cp bench/target/benchmarks.jar dev.jsam.bench.EncodeOnce encode "$out/vitb.safetensors" testdata/images/dog.png > "$out/rss.txt"
rm -f "$out/vitb.safetensors"
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
shapes = {"vitb_qkv": (4096, 768, 2304), "vitb_proj": (4096, 768, 768), "vitb_mlp1": (4096, 768, 3072), "vitb_mlp2": (4096, 3072, 768)}
blas = {}
for line in open(out + "/openblas.txt"):
    if line.startswith("openblas "):
        p = line.split(); blas[p[1]] = float(p[3])
# the encoder's GEMM FLOPs per shape, 12 blocks: the OpenBLAS rate weighted by where the work is
flops = {k: 2.0 * m * k2 * n * 12 for k, (m, k2, n) in shapes.items()}
blas_time = sum(flops[k] / (blas[k] * 1e9) for k in shapes)
blas_rate = sum(flops.values()) / blas_time / 1e9
enc = {}
for r in json.load(open(out + "/enc.json")):
    raw = [t for fork in r["primaryMetric"]["rawData"] for t in fork]
    enc[int(r["params"]["threads"])] = min(raw) / 1e3
for t, best in sorted(enc.items()):
    rate = 972.0 / best
    print(f"vit_b encoder, {t} thread(s): best {best:.2f} s = {rate:.0f} GFLOP/s effective")
most = max(enc)
print(f"OpenBLAS sgemm on the encoder's GEMM shapes ({most} threads): {blas_rate:.0f} GFLOP/s; encoder / sgemm ratio {972.0 / enc[most] / blas_rate:.2f}")
if 1 in enc and most > 1:
    print(f"thread scaling 1 -> {most}: speed-up {enc[1] / enc[most]:.2f}, efficiency {enc[1] / enc[most] / most:.2f}")
for r in json.load(open(out + "/dec.json")):
    print(f"{r['benchmark'].split('.')[-1]}: {r['primaryMetric']['score']:.1f} {r['primaryMetric']['scoreUnit']}")
for r in json.load(open(out + "/amg.json")):
    print(f"segment everything, dog.png, defaults: {r['primaryMetric']['score']:.1f} s")
print(open(out + "/rss.txt").read().strip())
PY
