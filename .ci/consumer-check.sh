#!/usr/bin/env bash
# Consumer checks (issue 14): uses jsam as a library user would, from the installed artifacts.
# Installs the project (skip with JSAM_SKIP_INSTALL=1 when that was just done), checks that the
# README's "As a library" class and the examples' Main are the same code, then builds and runs
# examples/embed (class path, with --add-modules jdk.incubator.vector) and examples/modular (a JPMS
# module, no JVM flag at all) on the bundled tiny model and dog.png. Fails if either dependency
# tree holds JCuda, the CUDA kernels, the CLI or the converter, or if the CPU-only closure reaches
# 1 MB; prints the closure's size.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bin/jdk25.sh
jsam_find_jdk25
java="$JAVA_HOME/bin/java"
model="$root/testdata/golden/tiny/sam_tiny.safetensors"
image="$root/testdata/images/dog.png"
fail() { echo "consumer-check: FAILED: $*" >&2; exit 1; }

if [ "${JSAM_SKIP_INSTALL:-}" != 1 ]; then
  ./mvnw -q -B install -DskipTests
fi

# The README's class, verbatim in examples/embed, and in examples/modular under a package line.
readme=$(awk '/^## As a library/ {on = 1} on && /^```java$/ {code = 1; next} code && /^```$/ {exit} code' README.md)
[ -n "$readme" ] || fail "no java block under '## As a library' in README.md"
[ "$readme" = "$(cat examples/embed/src/main/java/Main.java)" ] \
  || fail "examples/embed/src/main/java/Main.java differs from README.md's library example"
modular_main=examples/modular/src/main/java/dev/jsam/examples/modular/Main.java
[ "$(printf 'package dev.jsam.examples.modular;\n\n%s' "$readme")" = "$(cat "$modular_main")" ] \
  || fail "$modular_main is not README.md's library example under its package line"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/embed" "$tmp/modular"

# Builds an example, checks its dependency tree and prints its class path.
build() {
  local dir="examples/$1"
  ./mvnw -q -B -f "$dir/pom.xml" clean compile dependency:tree -DoutputFile=target/tree.txt \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >"$tmp/build-$1.log" 2>&1 \
    || { cat "$tmp/build-$1.log" >&2; fail "building $dir"; }
  if grep -E 'org\.jcuda|jsam-kernels|jsam-cli|jsam-weights-converter' "$dir/target/tree.txt" >&2; then
    fail "$1's dependency tree holds what a CPU-only library user must not get (above)"
  fi
  cat "$dir/target/classpath.txt"
}

# Runs an example in a fresh folder and checks what it printed and the mask.png it wrote (800 x 534).
check_run() {
  local name="$1" out="$2"
  shift 2
  local run
  run=$(cd "$out" && "$@" "$model" "$image" 2>"$out/stderr.txt") \
    || { cat "$out/stderr.txt" >&2; fail "$name exited with an error"; }
  echo "$name: $run"
  [[ "$run" =~ ^best\ of\ 3\ masks:\ [1-9][0-9]*\ of\ 427200\ pixels,\ box\ \[[0-9]+,\ [0-9]+,\ [0-9]+,\ [0-9]+\],\ score\ -?[0-9.]+$ ]] \
    || fail "$name printed an unexpected line"
  [ "$(od -An -tx1 -N8 "$out/mask.png" | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$name wrote no PNG"
  [ "$(od -An -tu4 --endian=big -j16 -N8 "$out/mask.png" | xargs)" = "800 534" ] \
    || fail "$name's mask.png is not 800 x 534"
}


cp_embed=$(build embed)
check_run embed "$tmp/embed" "$java" --add-modules jdk.incubator.vector \
  -cp "$root/examples/embed/target/classes:$cp_embed" Main

cp_modular=$(build modular)
check_run modular "$tmp/modular" "$java" --module-path "$root/examples/modular/target/classes:$cp_modular" \
  -m dev.jsam.examples.modular/dev.jsam.examples.modular.Main

bytes=0
IFS=: read -r -a jars <<<"$cp_embed"
for jar in "${jars[@]}"; do
  size=$(stat -c %s "$jar")
  echo "  $(basename "$jar"): $size bytes"
  bytes=$((bytes + size))
done
echo "CPU-only closure (${#jars[@]} jars): $bytes bytes"
[ "$bytes" -lt 1000000 ] || fail "the CPU-only closure is $bytes bytes, not under 1 MB"
echo "consumer-check: OK"
