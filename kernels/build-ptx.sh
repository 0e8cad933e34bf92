#!/usr/bin/env bash
# Regenerates the committed PTX (src/main/resources/dev/jsam/kernels/*.ptx) from the CUDA C
# sources in src/main/cuda with nvcc for compute_90, then assembles each PTX with ptxas for
# sm_90 to prove it is valid and writes the per-kernel register/shared-memory/spill figures
# to ptxas-report.txt. Needs nvcc and ptxas on PATH; the Maven build itself never runs this.
set -euo pipefail
cd "$(dirname "$0")"
src=src/main/cuda
out=src/main/resources/dev/jsam/kernels
mkdir -p "$out"
report=ptxas-report.txt
{
  echo "# ptxas -arch=sm_90 -v on the committed PTX ($(nvcc --version | tail -1))"
  echo "# nvcc flags: -ptx -arch=compute_90 -O3 (no fast math: IEEE div/sqrt, precise expf/erfcf)"
} > "$report"
for cu in "$src"/*.cu; do
  name=$(basename "$cu" .cu)
  nvcc -ptx -arch=compute_90 -O3 -o "$out/$name.ptx" "$cu"
  echo "## $name" >> "$report"
  ptxas -arch=sm_90 -v -o /dev/null "$out/$name.ptx" 2>&1 | awk '
    /Compiling entry function/ { match($0, /function .[A-Za-z0-9_]+/); fn = substr($0, RSTART + 10, RLENGTH - 10) }
    /bytes stack frame/ { sub(/.*: */, ""); frame = $0 }
    /Used [0-9]+ registers/ { sub(/.*: */, ""); printf "  %-22s %s; %s\n", fn, $0, frame }
  ' >> "$report"
done
echo "PTX written to $out; figures in $report"
