#!/usr/bin/env bash
# Run on the build machine (no GPU needed) before a GPU session: compiles the tensor module
# and its tests, gathers every jar the CUDA tests need (JCuda with its natives, JUnit and its
# console launcher) and a jlinked JDK 25 runtime into tensor/target/gpu-check, so that
# gpu-check.sh runs on a machine with no network, no Maven and maybe no JDK. Prints the size
# to carry (the device tool carries at most 64 MiB).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tensor/target/gpu-check
rm -rf "$out"
mkdir -p "$out/lib"
./mvnw -q -pl tensor -am test-compile dependency:copy-dependencies -DincludeScope=test \
  -DexcludeGroupIds=dev.jsam,org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian \
  -DoutputDirectory="$PWD/$out/lib"
# JCuda's natives jar carries a 24 MB nvPTXCompiler binding that jsam never loads: drop it to fit the carry limit.
python3 - "$out"/lib/jcuda-natives-*.jar <<'PY'
import shutil, sys, zipfile
src = sys.argv[1]
tmp = src + ".tmp"
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        if "NvPTXCompiler" not in item.filename:
            zout.writestr(item, zin.read(item.filename))
shutil.move(tmp, src)
PY
./mvnw -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.1 \
  -DoutputDirectory="$PWD/$out/console" -N
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$jdk/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.logging,java.management,java.xml,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 --output "$out/jre" 2>&1 | grep -v 'incubator' || true
du -sh --total tensor/target kernels/target
echo "carry: [\"tensor/target\", \"kernels/target\"]"
