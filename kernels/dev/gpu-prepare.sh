#!/usr/bin/env bash
# Run on the build machine (no GPU needed) before a GPU session. Builds the modules and their
# tests, then packs into target/gpu-check/bundle.tar.xz everything kernels/dev/gpu-check.sh needs
# on a device machine that has no network, no Maven and no JDK 25: a jlinked JDK 25 runtime,
# the compiled classes (kernels, tensor, nn, sam, cli, bench and the tensor/kernels/sam tests), JCuda with its
# driver natives, JUnit's console launcher, the golden files the GPU golden tests read, and, where
# REFERENCE_CHECKOUT names a folder holding segment-anything's segment_anything package, its image
# encoder (modeling/image_encoder.py and common.py, as the package sam_modeling) for
# kernels/dev/torch_encoder.py; without it the PyTorch encoder timings are skipped on the GPU.
# The device tool carries at most 64 MiB with the working tree, and the tracked testdata alone is
# larger: kernels/dev/gpu-tree.sh slim takes it out of what travels (the bundle has the part the
# GPU run needs) and gpu-tree.sh restore puts it back.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/target/gpu-check
stage=$out/stage
rm -rf "$out"
mkdir -p "$stage/lib" "$stage/cp"
./mvnw -q -pl bench,cli -am package -DskipTests
./mvnw -q -pl kernels,sam -am test-compile
m2=${MAVEN_REPO:-$HOME/.m2/repository}
cp "$m2/org/jcuda/jcuda/12.0.0/jcuda-12.0.0.jar" "$stage/lib/"
# JCuda's natives jar carries a 24 MB nvPTXCompiler binding that jsam never loads: keep the driver binding only.
python3 - "$m2/org/jcuda/jcuda-natives/12.0.0/jcuda-natives-12.0.0-linux-x86_64.jar" "$stage/lib/jcuda-natives-12.0.0-linux-x86_64.jar" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as zin, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        if "NvPTXCompiler" not in item.filename:
            zout.writestr(item, zin.read(item.filename))
PY
./mvnw -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 \
  -DoutputDirectory="$stage/lib" -N
for m in kernels tensor nn weights-converter sam cli bench; do
  cp -r "$m/target/classes" "$stage/cp/$m"
done
cp -r tensor/target/test-classes "$stage/cp/tensor-tests"
cp -r kernels/target/test-classes "$stage/cp/kernels-tests"
cp -r sam/target/test-classes "$stage/cp/sam-tests"
# the demo checkpoint is a copy of testdata's sam_tiny.safetensors, which the bundle carries anyway
find "$stage/cp/cli" -name 'sam_tiny.safetensors' -delete
mkdir -p "$stage/testdata/golden/tiny" "$stage/testdata/golden/vit_b_synthetic" "$stage/testdata/images"
cp testdata/golden/tiny/{sam_tiny.safetensors,config.json,dog.safetensors,dog_cases.json,truck.safetensors,truck_cases.json,amg_model_smoke.json} \
  "$stage/testdata/golden/tiny/"
cp testdata/golden/vit_b_synthetic/* "$stage/testdata/golden/vit_b_synthetic/"
cp testdata/images/{dog.png,truck.png} "$stage/testdata/images/"
if [ -n "${REFERENCE_CHECKOUT:-}" ]; then
  mkdir -p "$stage/ref/sam_modeling"
  cp "$REFERENCE_CHECKOUT"/segment_anything/modeling/{image_encoder.py,common.py} "$stage/ref/sam_modeling/"
  touch "$stage/ref/sam_modeling/__init__.py"
else
  echo "REFERENCE_CHECKOUT not set: the bundle has no reference encoder, torch_encoder.py will be skipped"
fi
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# uncompressed modules: xz packs them far smaller than jlink's own zip compression
"$jdk/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.logging,java.management,java.xml,java.desktop,java.net.http,jdk.httpserver,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --output "$stage/jre" 2>&1 | grep -v 'incubator' || true
tar -C "$stage" -cf - . | xz -9 -T0 > "$out/bundle.tar.xz"
rm -rf "$stage"
du -b "$out/bundle.tar.xz"
echo "then: bash kernels/dev/gpu-tree.sh slim; device run with carry [\"target/gpu-check\"] and command"
echo "      'OUT=\$OUT bash kernels/dev/gpu-check.sh'; afterwards: bash kernels/dev/gpu-tree.sh restore"
