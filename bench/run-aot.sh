#!/usr/bin/env bash
# The `sam` command's first run in a fresh JVM with and without bin/sam's AOT cache (issue 17
# target 4): vit_b with the synthetic weights written as safetensors, dog.png, `sam embed` and
# `sam predict --point 500,375`, each REPS times alternating JSAM_AOT=0 (no cache) and the cache
# that one recording run of the same command made, wall and CPU (user + system) seconds of the
# whole command from /usr/bin/time. Also the recording run itself. Usage: bench/run-aot.sh [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
REPS="${1:-3}"
./mvnw -q -pl bench -am package -DskipTests
. bench/bench-env.sh
bin/sam --help > /dev/null 2>&1   # builds cli/target/jsam.jar if the sources are newer
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.jsam.bench.EncodeOnce write "$out/vitb.safetensors"
bench_header "$(nproc)"
embed=(embed --checkpoint "$out/vitb.safetensors" --image testdata/images/dog.png --out "$out/e.safetensors")
predict=(predict --checkpoint "$out/vitb.safetensors" --image testdata/images/dog.png --point 500,375 --out "$out/p")
run() { # LABEL ENV... -- ARGS...: one timed command
  local label="$1"; shift
  /usr/bin/time -f "$label %e s wall, %U + %S s cpu" env "$@" > /dev/null 2> "$out/err" || { cat "$out/err"; exit 1; }
  tail -1 "$out/err"
}
for cmd in embed predict; do
  eval "args=(\"\${$cmd[@]}\")"
  rm -f cli/target/jsam-*.aot
  run "$cmd recording run (JSAM_AOT=1, no cache yet):" JSAM_AOT=1 bin/sam "${args[@]}"
  for _ in $(seq 60); do ls cli/target/jsam-*.aot > /dev/null 2>&1 && break; sleep 1; done
  ls -s cli/target/jsam-*.aot
  for i in $(seq "$REPS"); do
    run "$cmd JSAM_AOT=0:" JSAM_AOT=0 bin/sam "${args[@]}"
    run "$cmd with the cache:" JSAM_AOT=1 bin/sam "${args[@]}"
  done
  echo "# load $(cut -d' ' -f1-3 /proc/loadavg)"
done
rm -rf "$out"
