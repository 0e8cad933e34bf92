#!/usr/bin/env bash
# Regenerates the committed PTX (src/main/resources/dev/jsam/kernels/*.ptx, and the kernel
# ladder's rungs in dev/ptx) from the CUDA C sources with nvcc for compute_80, which the driver
# JIT-compiles for every card from sm_80 (A100) on: A10, L4, RTX 30/40, H100, H200 and later.
# Then assembles each PTX with ptxas for each architecture it will meet (sm_80, sm_86, sm_89,
# sm_90) to prove it valid there, and writes per-kernel registers, shared memory, stack and
# spills per architecture to ptxas-report.txt. Needs nvcc and ptxas on PATH (CUDA 13); the
# Maven build never runs this.
set -euo pipefail
cd "$(dirname "$0")"
report=ptxas-report.txt
archs=(sm_80 sm_86 sm_89 sm_90)
{
  echo "# ptxas -v on the committed PTX, per target architecture ($(nvcc --version | tail -1))"
  echo "# nvcc flags: -ptx -arch=compute_80 -O3 (no fast math: IEEE div/sqrt, precise expf/erfcf)"
  echo "# per kernel and architecture: registers, static shared memory, stack frame, spill stores/loads (bytes)"
} > "$report"

# compile SOURCE.cu OUTDIR LABEL: PTX into OUTDIR, ptxas figures for every architecture into the report.
compile() {
  local cu=$1 outdir=$2 label=$3 name arch
  name=$(basename "$cu" .cu)
  nvcc -ptx -arch=compute_80 -O3 -o "$outdir/$name.ptx" "$cu"
  echo "## $label$name" >> "$report"
  for arch in "${archs[@]}"; do
    ptxas -arch="$arch" -v -o /dev/null "$outdir/$name.ptx" 2>&1 | awk -v arch="$arch" '
      /Compiling entry function/ { match($0, /function .[A-Za-z0-9_]+/); fn = substr($0, RSTART + 10, RLENGTH - 10) }
      /bytes stack frame/ { match($0, /[0-9]+ bytes stack frame/); frame = substr($0, RSTART, RLENGTH - 18)
                            match($0, /[0-9]+ bytes spill stores/); st = substr($0, RSTART, RLENGTH - 19)
                            match($0, /[0-9]+ bytes spill loads/); ld = substr($0, RSTART, RLENGTH - 18) }
      /Used [0-9]+ registers/ { match($0, /Used [0-9]+ registers/); regs = substr($0, RSTART + 5, RLENGTH - 15)
                                smem = 0; if (match($0, /[0-9]+ bytes smem/)) smem = substr($0, RSTART, RLENGTH - 11)
                                printf "  %-22s %s: %3d regs, %6d B smem, %3d B stack, spill %d/%d\n", fn, arch, regs, smem, frame, st, ld }
    ' >> "$report"
    # ptxas exits non-zero on an invalid PTX: set -e stops the build with its message above
  done
}

mkdir -p src/main/resources/dev/jsam/kernels dev/ptx
for cu in src/main/cuda/*.cu; do
  compile "$cu" src/main/resources/dev/jsam/kernels ""
done
for cu in dev/*.cu; do
  compile "$cu" dev/ptx "dev/"
done
echo "PTX written to src/main/resources/dev/jsam/kernels and dev/ptx; figures in $report"
