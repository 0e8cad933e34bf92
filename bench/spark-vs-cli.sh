#!/usr/bin/env bash
# Images per minute of `sam amg` and of `sam-spark amg --master local[N]` on the same folder, run
# back to back ROUNDS times (alternating, so both see the same moments of a shared machine). Each
# time is the whole command's wall clock: JVM start, Spark start, model loading, writing. Odd
# rounds run sam amg first, even rounds sam-spark first, so neither always follows the other.
# Usage: bench/spark-vs-cli.sh CHECKPOINT FOLDER [ROUNDS] [LOCAL_N] [amg flags ...]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
checkpoint=$1 folder=$2 rounds=${3:-3} n=${4:-2}
shift $(( $# < 4 ? $# : 4 ))
images=$(find "$folder" -maxdepth 1 -type f | wc -l)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/bin/sam" --version >/dev/null
"$here/bin/sam-spark" --help >/dev/null
echo "host: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus; $images images; flags: $*"
run() { # label, command...: prints seconds and images per minute
  local label=$1 start end; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  "$@" >"$work/$label.log" 2>&1 || { echo "$label failed:"; tail -5 "$work/$label.log"; exit 1; }
  end=$(date +%s.%N)
  awk -v l="$label" -v s="$start" -v e="$end" -v i="$images" -v load="$load" \
    'BEGIN { printf "%-22s %7.1f s  %6.2f images/min  (load %s at start)\n", l, e - s, 60 * i / (e - s), load }'
}
cli() {
  run "round $1 sam amg" "$here/bin/sam" amg --checkpoint "$checkpoint" --input "$folder" \
    --output "$work/cli-$1" --convert-to-rle --threads "$n" "${@:2}"
}
spark() {
  run "round $1 sam-spark" "$here/bin/sam-spark" amg --checkpoint "$checkpoint" --input "$folder" \
    --output "$work/spark-$1" --master "local[$n]" --format jsonl "${@:2}"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then cli "$r" "$@"; spark "$r" "$@"; else spark "$r" "$@"; cli "$r" "$@"; fi
done
