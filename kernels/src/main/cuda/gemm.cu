// Batched GEMM C[b] = act(A[b] (M x K) B[b] (K x N) + bias): any A/B element strides, broadcast
// batch dims (Geometry operand 0 = A's batch strides, 1 = B's), C contiguous, bias per column
// (linear) or per row (conv). sgemm_f32: SIMT 64x64x16 tiles, 4x4 register micro-tile, exact
// fp32 FMA. sgemm_tf32_f32: the same tiling on mma.sync m16n8k8 TF32 tensor cores with fp32
// accumulation (~1e-3 relative, opt-in).
#include "jsam_common.cuh"

#define BM 64
#define BN 64
#define BK 16

enum { BIAS_NONE, BIAS_COL, BIAS_ROW };

struct GemmArgs {
    long long m, n, k;
    long long aRow, aCol, bRow, bCol;
    int biasMode, act;
};

__device__ __forceinline__ void batch_bases(const Geometry& g, const float*& a, const float*& b) {
    long long off[2];
    jsam_offsets<2>(g, blockIdx.z, off);
    a += off[0];
    b += off[1];
}

// Coordinates of element e of a (outer x BK) operand tile: consecutive e walk along k when
// kFast (that operand's k stride is 1), else along the outer dim, so global loads coalesce.
__device__ __forceinline__ void tile_coords(int e, bool kFast, int outer, int& o, int& k) {
    if (kFast) {
        o = e / BK;
        k = e % BK;
    } else {
        o = e % outer;
        k = e / outer;
    }
}

__device__ __forceinline__ float epilogue(const GemmArgs& p, const float* bias, long long row, long long col, float v) {
    if (p.biasMode == BIAS_COL) v += bias[col];
    else if (p.biasMode == BIAS_ROW) v += bias[row];
    return jsam_activate(p.act, v);
}

extern "C" __global__ void __launch_bounds__(256) sgemm_f32(float* c, const float* a, const float* b, const float* bias,
                                                            GemmArgs p, Geometry batch) {
    __shared__ float as[BK][BM + 4];
    __shared__ float bs[BK][BN + 4];
    batch_bases(batch, a, b);
    c += (long long) blockIdx.z * p.m * p.n;
    long long m0 = (long long) blockIdx.y * BM, n0 = (long long) blockIdx.x * BN;
    int tx = threadIdx.x & 15, ty = threadIdx.x >> 4;
    float acc[4][4] = {};
    for (long long k0 = 0; k0 < p.k; k0 += BK) {
        #pragma unroll
        for (int t = 0; t < 4; t++) {
            int e = threadIdx.x + t * 256;
            int am, ak, bn, bk;
            tile_coords(e, p.aCol == 1, BM, am, ak);
            tile_coords(e, p.bRow == 1 && p.bCol != 1, BN, bn, bk);
            long long gm = m0 + am, gk = k0 + ak;
            as[ak][am] = gm < p.m && gk < p.k ? a[gm * p.aRow + gk * p.aCol] : 0.f;
            long long gn = n0 + bn, gk2 = k0 + bk;
            bs[bk][bn] = gn < p.n && gk2 < p.k ? b[gk2 * p.bRow + gn * p.bCol] : 0.f;
        }
        __syncthreads();
        #pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            float ra[4], rb[4];
            #pragma unroll
            for (int i = 0; i < 4; i++) ra[i] = as[kk][ty + 16 * i];
            #pragma unroll
            for (int j = 0; j < 4; j++) rb[j] = bs[kk][tx + 16 * j];
            #pragma unroll
            for (int i = 0; i < 4; i++)
                #pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = fmaf(ra[i], rb[j], acc[i][j]);
        }
        __syncthreads();
    }
    #pragma unroll
    for (int i = 0; i < 4; i++) {
        long long row = m0 + ty + 16 * i;
        if (row >= p.m) continue;
        #pragma unroll
        for (int j = 0; j < 4; j++) {
            long long col = n0 + tx + 16 * j;
            if (col < p.n) c[row * p.n + col] = epilogue(p, bias, row, col, acc[i][j]);
        }
    }
}

__device__ __forceinline__ uint32_t to_tf32(float x) {
    uint32_t r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return r;
}

// 128 threads = 4 warps in a 2 x 2 grid, each warp a 32 x 32 output tile = 2 x 4 mma tiles.
extern "C" __global__ void __launch_bounds__(128) sgemm_tf32_f32(float* c, const float* a, const float* b,
                                                                 const float* bias, GemmArgs p, Geometry batch) {
    __shared__ float as[BM][BK + 4];
    __shared__ float bs[BK][BN + 8];
    batch_bases(batch, a, b);
    c += (long long) blockIdx.z * p.m * p.n;
    long long m0 = (long long) blockIdx.y * BM, n0 = (long long) blockIdx.x * BN;
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    int wm = (warp >> 1) * 32, wn = (warp & 1) * 32;
    int g = lane >> 2, t4 = lane & 3;
    float acc[2][4][4] = {};
    for (long long k0 = 0; k0 < p.k; k0 += BK) {
        #pragma unroll
        for (int t = 0; t < 8; t++) {
            int e = threadIdx.x + t * 128;
            int am, ak, bn, bk;
            tile_coords(e, p.aCol == 1, BM, am, ak);
            tile_coords(e, p.bRow == 1 && p.bCol != 1, BN, bn, bk);
            long long gm = m0 + am, gk = k0 + ak;
            as[am][ak] = gm < p.m && gk < p.k ? a[gm * p.aRow + gk * p.aCol] : 0.f;
            long long gn = n0 + bn, gk2 = k0 + bk;
            bs[bk][bn] = gn < p.n && gk2 < p.k ? b[gk2 * p.bRow + gn * p.bCol] : 0.f;
        }
        __syncthreads();
        #pragma unroll
        for (int kk = 0; kk < BK; kk += 8) {
            uint32_t fa[2][4], fb[4][2];
            #pragma unroll
            for (int i = 0; i < 2; i++) {
                int r = wm + 16 * i + g;
                fa[i][0] = to_tf32(as[r][kk + t4]);
                fa[i][1] = to_tf32(as[r + 8][kk + t4]);
                fa[i][2] = to_tf32(as[r][kk + t4 + 4]);
                fa[i][3] = to_tf32(as[r + 8][kk + t4 + 4]);
            }
            #pragma unroll
            for (int j = 0; j < 4; j++) {
                int col = wn + 8 * j + g;
                fb[j][0] = to_tf32(bs[kk + t4][col]);
                fb[j][1] = to_tf32(bs[kk + t4 + 4][col]);
            }
            #pragma unroll
            for (int i = 0; i < 2; i++)
                #pragma unroll
                for (int j = 0; j < 4; j++)
                    asm volatile(
                        "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 "
                        "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                        : "+f"(acc[i][j][0]), "+f"(acc[i][j][1]), "+f"(acc[i][j][2]), "+f"(acc[i][j][3])
                        : "r"(fa[i][0]), "r"(fa[i][1]), "r"(fa[i][2]), "r"(fa[i][3]), "r"(fb[j][0]), "r"(fb[j][1]));
        }
        __syncthreads();
    }
    #pragma unroll
    for (int i = 0; i < 2; i++)
        #pragma unroll
        for (int j = 0; j < 4; j++)
            #pragma unroll
            for (int h = 0; h < 4; h++) {
                long long row = m0 + wm + 16 * i + g + (h >= 2 ? 8 : 0);
                long long col = n0 + wn + 8 * j + 2 * t4 + (h & 1);
                if (row < p.m && col < p.n) c[row * p.n + col] = epilogue(p, bias, row, col, acc[i][j][h]);
            }
}
