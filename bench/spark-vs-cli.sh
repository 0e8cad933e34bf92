#!/usr/bin/env bash
# Images per minute of `sam amg` and of `sam-spark amg --master local[N]` on the same folder, run
# back to back ROUNDS times (alternating, so both see the same moments of a shared machine). Each
# time is the whole command's wall clock: JVM start, Spark start, model loading, writing; the CPU
# seconds (user + system) of the command are printed beside it, a steadier figure on a machine
# that others share. Odd rounds run sam amg first, even rounds sam-spark first, so neither always
# follows the other. Before the rounds, both run once on a folder holding one file that is not an
# image: their fixed costs (JVM, Spark's start, listing, the job, the commit, the summary), with no
# model built. Each round checks that both wrote the same number of masks.
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
mkdir "$work/no-image" && echo "not an image" > "$work/no-image/notes.txt"
echo "host: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cpus; $images images; flags: $*"
TIMEFORMAT='%R %U %S'
run() { # label, images, command...: prints wall seconds, images per minute and CPU seconds
  local label=$1 count=$2 load; shift 2
  load=$(cut -d' ' -f1 /proc/loadavg)
  { time "$@" >"$work/$label.log" 2>&1; } 2>"$work/$label.time" \
    || { [ "$count" = 0 ] || { echo "$label failed:"; tail -5 "$work/$label.log"; exit 1; }; }
  read -r wall user sys < "$work/$label.time"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v i="$count" -v load="$load" \
    'BEGIN { printf "%-22s %7.1f s  %6.2f images/min  %7.1f CPU s  (load %s at start)\n", l, w, 60 * i / w, u + s, load }'
}
cli() { # label, images, input, output, flags...
  run "$1" "$2" "$here/bin/sam" amg --checkpoint "$checkpoint" --input "$3" --output "$4" --convert-to-rle \
    --threads "$n" "${@:5}"
}
spark() {
  run "$1" "$2" "$here/bin/sam-spark" amg --checkpoint "$checkpoint" --input "$3" --output "$4" \
    --master "local[$n]" --format jsonl "${@:5}"
}
cli "fixed sam amg" 0 "$work/no-image" "$work/cli-0" "$@"
spark "fixed sam-spark" 0 "$work/no-image" "$work/spark-0" "$@"
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) = 1 ]; then
    cli "round $r sam amg" "$images" "$folder" "$work/cli-$r" "$@"
    spark "round $r sam-spark" "$images" "$folder" "$work/spark-$r" "$@"
  else
    spark "round $r sam-spark" "$images" "$folder" "$work/spark-$r" "$@"
    cli "round $r sam amg" "$images" "$folder" "$work/cli-$r" "$@"
  fi
  masks_cli=$(cat "$work/cli-$r"/*.json | grep -o '"segmentation"' | wc -l)
  masks_spark=$(cat "$work/spark-$r"/part-* | grep -o '"segmentation"' | wc -l)
  [ "$masks_cli" = "$masks_spark" ] || { echo "round $r: sam amg wrote $masks_cli masks, sam-spark $masks_spark"; exit 1; }
done
