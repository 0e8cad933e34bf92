// Kernel ladder, SGEMM rung 02: 16 x 16 output tiles, one element per thread, A and B staged
// through 16 x 16 shared-memory tiles (each global element read once per tile instead of 16
// times). Same signature as sgemm_f32; 16 x 16 thread blocks. No register tiling yet (rung 03,
// the production sgemm_f32, adds a 4 x 4 micro-tile on 64 x 64 tiles). Not used by the backend.
#include "../src/main/cuda/jsam_common.cuh"

struct GemmArgs {
    long long m, n, k;
    long long aRow, aCol, bRow, bCol;
    int biasMode, act;
};

extern "C" __global__ void sgemm_02_smem(float* c, const float* a, const float* b, const float* bias, GemmArgs p,
                                         Geometry batch) {
    __shared__ float as[16][17];
    __shared__ float bs[16][17];
    long long off[2];
    jsam_offsets<2>(batch, blockIdx.z, off);
    a += off[0];
    b += off[1];
    c += (long long) blockIdx.z * p.m * p.n;
    int tx = threadIdx.x, ty = threadIdx.y;
    long long row = (long long) blockIdx.y * 16 + ty, col = (long long) blockIdx.x * 16 + tx;
    float acc = 0.f;
    for (long long k0 = 0; k0 < p.k; k0 += 16) {
        as[ty][tx] = row < p.m && k0 + tx < p.k ? a[row * p.aRow + (k0 + tx) * p.aCol] : 0.f;
        bs[ty][tx] = col < p.n && k0 + ty < p.k ? b[(k0 + ty) * p.bRow + col * p.bCol] : 0.f;
        __syncthreads();
        #pragma unroll
        for (int q = 0; q < 16; q++) acc = fmaf(as[ty][q], bs[q][tx], acc);
        __syncthreads();
    }
    if (row >= p.m || col >= p.n) return;
    if (p.biasMode == 1) acc += bias[col];
    else if (p.biasMode == 2) acc += bias[row];
    c[row * p.n + col] = jsam_activate(p.act, acc);
}
