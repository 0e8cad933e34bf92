// Kernel ladder, SGEMM rung 01: one thread per output element, every operand read straight
// from global memory (no reuse beyond the L1/L2 caches). Same signature and semantics as
// gemm.cu's sgemm_f32 so the ladder harness launches every rung alike; 16 x 16 thread blocks.
// A baseline to measure the tiled rungs against, never used by the backend.
#include "../src/main/cuda/jsam_common.cuh"

struct GemmArgs {
    long long m, n, k;
    long long aRow, aCol, bRow, bCol;
    int biasMode, act;
};

extern "C" __global__ void sgemm_01_naive(float* c, const float* a, const float* b, const float* bias, GemmArgs p,
                                          Geometry batch) {
    long long off[2];
    jsam_offsets<2>(batch, blockIdx.z, off);
    a += off[0];
    b += off[1];
    c += (long long) blockIdx.z * p.m * p.n;
    long long row = (long long) blockIdx.y * 16 + threadIdx.y, col = (long long) blockIdx.x * 16 + threadIdx.x;
    if (row >= p.m || col >= p.n) return;
    float acc = 0.f;
    for (long long q = 0; q < p.k; q++) acc = fmaf(a[row * p.aRow + q * p.aCol], b[q * p.bRow + col * p.bCol], acc);
    if (p.biasMode == 1) acc += bias[col];
    else if (p.biasMode == 2) acc += bias[row];
    c[row * p.n + col] = jsam_activate(p.act, acc);
}
