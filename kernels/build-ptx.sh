#!/usr/bin/env bash
# Regenerates the committed PTX (src/main/resources/dev/jsam/kernels/*.ptx, and the kernel
# ladder's rungs in dev/ptx) from the CUDA C sources with nvcc for compute_90, assembles each
# PTX with ptxas for sm_90 to prove it valid, and writes per-kernel registers, shared memory and
# spills to ptxas-report.txt. Needs nvcc and ptxas on PATH; the Maven build never runs this.
set -euo pipefail
cd "$(dirname "$0")"
report=ptxas-report.txt
{
  echo "# ptxas -arch=sm_90 -v on the committed PTX ($(nvcc --version | tail -1))"
  echo "# nvcc flags: -ptx -arch=compute_90 -O3 (no fast math: IEEE div/sqrt, precise expf/erfcf)"
} > "$report"

# compile SOURCE.cu OUTDIR LABEL: PTX into OUTDIR, ptxas figures into the report.
compile() {
  local cu=$1 outdir=$2 label=$3 name
  name=$(basename "$cu" .cu)
  nvcc -ptx -arch=compute_90 -O3 -o "$outdir/$name.ptx" "$cu"
  echo "## $label$name" >> "$report"
  ptxas -arch=sm_90 -v -o /dev/null "$outdir/$name.ptx" 2>&1 | awk '
    /Compiling entry function/ { match($0, /function .[A-Za-z0-9_]+/); fn = substr($0, RSTART + 10, RLENGTH - 10) }
    /bytes stack frame/ { sub(/.*: */, ""); frame = $0 }
    /Used [0-9]+ registers/ { sub(/.*: */, ""); printf "  %-22s %s; %s\n", fn, $0, frame }
  ' >> "$report"
}

mkdir -p src/main/resources/dev/jsam/kernels dev/ptx
for cu in src/main/cuda/*.cu; do
  compile "$cu" src/main/resources/dev/jsam/kernels ""
done
for cu in dev/*.cu; do
  compile "$cu" dev/ptx "dev/"
done
echo "PTX written to src/main/resources/dev/jsam/kernels and dev/ptx; figures in $report"
