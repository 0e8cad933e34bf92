// Batched GEMM C[b] = act(A[b] (M x K) B[b] (K x N) + bias): any A/B element strides, broadcast
// batch dims (Geometry operand 0 = A's batch strides, 1 = B's), C contiguous, bias per column
// (linear) or per row (conv). sgemm_f32: SIMT 64x64x16 tiles, 4x4 register micro-tile, exact
// fp32 FMA. sgemm_tf32_f32: the same tiling on mma.sync m16n8k8 TF32 tensor cores with fp32
// accumulation (~1e-3 relative, opt-in). sgemm_128_f32: sgemm_f32's arithmetic on 128x128 tiles.
// sgemm_3xtf32_f32 and sgemm_bf16_f32: 128x128 tiles on mma.sync (sm_80 and later), at fp32
// accuracy through three TF32 products per fp32 product, or on bf16 operands (opt-in).
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

// sgemm_128_f32: the same function as sgemm_f32 (same arguments, same k order per output, so the
// same bits), on 128 x 128 output tiles of 256 threads, each an 8 x 8 register tile (rows
// 4ty..4ty+3 and 64+4ty.., columns 4tx.. and 64+4tx..), BK = 16, and two shared-memory stages: the
// next k tile is read into registers (Tile128Loader) while the current one is multiplied.
#define TB 128
#define TK 16
#define TLD (TB + 4)
// One block per SM: no register cap below 255, 167 registers, no spills. Two blocks per SM cap
// registers at 128, where ptxas spills (92 bytes stored, 216 loaded); that build,
// kernels/dev/sgemm_05_occ2.cu, ran 2-14 % slower on an H200 at SAM's shapes (bench/README.md).
#ifndef SGEMM128_MIN_BLOCKS
#define SGEMM128_MIN_BLOCKS 1
#endif

// The epilogue as a call: inlined 64 times (with GELU's erfcx) it tripled the PTX and raised the
// registers of the multiply loop.
__device__ __noinline__ float epilogue_call(const GemmArgs& p, const float* bias, long long row, long long col, float v) {
    return epilogue(p, bias, row, col, v);
}

// Quad q (of 512) of a 128 x 16 tile read along k: row = start of outer index q / 4 (null past
// the edge), k quad q % 4 of the tile at k0.
__device__ __forceinline__ float4 quad_along_k(const float* row, long long kStride, long long k0, long long kLen, int q,
                                               bool vec) {
    long long k = k0 + 4 * (q & 3);
    float4 r = make_float4(0.f, 0.f, 0.f, 0.f);
    if (row == nullptr) return r;
    if (vec) {
        if (k < kLen) r = *reinterpret_cast<const float4*>(row + k);
        return r;
    }
    if (k < kLen) r.x = row[k * kStride];
    if (k + 1 < kLen) r.y = row[(k + 1) * kStride];
    if (k + 2 < kLen) r.z = row[(k + 2) * kStride];
    if (k + 3 < kLen) r.w = row[(k + 3) * kStride];
    return r;
}

// The global-memory side of a 128 x 128 x 16 tile pipeline (sgemm_128_f32, sgemm_3xtf32_f32,
// sgemm_bf16_f32): quads q = tid and tid + 256 of the A tile (128 rows x 4 quads along k) and of
// the B tile (along k, or along n where B's rows are contiguous), read into registers. An operand
// whose k stride is 1 (or, for B, whose n stride is 1) with 16-byte aligned rows is read as float4,
// others element by element (any strides, still correct).
struct Tile128Loader {
    const float* aRow[2];
    const float* bRow[2];
    bool vecA, bAlongN, vecBk;

    __device__ __forceinline__ Tile128Loader(const float* a, const float* b, const GemmArgs& p, long long m0, long long n0,
                                             int tid) {
        vecA = p.aCol == 1 && p.aRow % 4 == 0 && p.k % 4 == 0 && (reinterpret_cast<size_t>(a) & 15) == 0;
        bAlongN = p.bCol == 1 && p.bRow % 4 == 0 && p.n % 4 == 0 && (reinterpret_cast<size_t>(b) & 15) == 0;
        vecBk = !bAlongN && p.bRow == 1 && p.bCol % 4 == 0 && p.k % 4 == 0 && (reinterpret_cast<size_t>(b) & 15) == 0;
        #pragma unroll
        for (int h = 0; h < 2; h++) {
            int q = tid + 256 * h;
            long long m = m0 + (q >> 2), n = bAlongN ? n0 + 4 * (q & 31) : n0 + (q >> 2);
            aRow[h] = m < p.m ? a + m * p.aRow : nullptr;
            bRow[h] = n >= p.n ? nullptr : bAlongN ? b + n : b + n * p.bCol;
        }
    }

    // Reads the k tile at k0: ra[h] = A row (q >> 2), k quad (q & 3); rb[h] = B column (q >> 2), k quad
    // (q & 3), or, along n, B row k0 + (q >> 5), columns 4 (q & 31)..+3.
    __device__ __forceinline__ void load(const GemmArgs& p, long long k0, int tid, float4 (&ra)[2], float4 (&rb)[2]) const {
        #pragma unroll
        for (int h = 0; h < 2; h++) {
            int q = tid + 256 * h;
            ra[h] = quad_along_k(aRow[h], p.aCol, k0, p.k, q, vecA);
            if (bAlongN) {
                long long k = k0 + (q >> 5);
                rb[h] = make_float4(0.f, 0.f, 0.f, 0.f);
                if (bRow[h] != nullptr && k < p.k) rb[h] = *reinterpret_cast<const float4*>(bRow[h] + k * p.bRow);
            } else {
                rb[h] = quad_along_k(bRow[h], p.bRow, k0, p.k, q, vecBk);
            }
        }
    }
};

extern "C" __global__ void __launch_bounds__(256, SGEMM128_MIN_BLOCKS) sgemm_128_f32(float* c, const float* a, const float* b,
                                                                  const float* bias, GemmArgs p, Geometry batch) {
    __shared__ __align__(16) float as[2][TK][TLD];
    __shared__ __align__(16) float bs[2][TK][TLD];
    batch_bases(batch, a, b);
    c += (long long) blockIdx.z * p.m * p.n;
    long long m0 = (long long) blockIdx.y * TB, n0 = (long long) blockIdx.x * TB;
    int tid = threadIdx.x, tx = tid & 15, ty = tid >> 4;
    Tile128Loader ld(a, b, p, m0, n0, tid);
    float4 ra[2], rb[2];
    auto load = [&](long long k0) { ld.load(p, k0, tid, ra, rb); };
    bool bAlongN = ld.bAlongN;
    // Writes ra / rb to stage s: k-major, so the multiply reads 4 consecutive rows or columns as one float4.
    auto store = [&](int s) {
        #pragma unroll
        for (int h = 0; h < 2; h++) {
            int q = tid + 256 * h, o = q >> 2, k = 4 * (q & 3);
            as[s][k][o] = ra[h].x;
            as[s][k + 1][o] = ra[h].y;
            as[s][k + 2][o] = ra[h].z;
            as[s][k + 3][o] = ra[h].w;
            if (bAlongN) {
                *reinterpret_cast<float4*>(&bs[s][q >> 5][4 * (q & 31)]) = rb[h];
            } else {
                bs[s][k][o] = rb[h].x;
                bs[s][k + 1][o] = rb[h].y;
                bs[s][k + 2][o] = rb[h].z;
                bs[s][k + 3][o] = rb[h].w;
            }
        }
    };
    float acc[8][8] = {};
    load(0);
    store(0);
    __syncthreads();
    int s = 0;
    for (long long k0 = 0; k0 < p.k; k0 += TK) {
        bool more = k0 + TK < p.k;
        if (more) load(k0 + TK);
        #pragma unroll
        for (int kk = 0; kk < TK; kk++) {
            float4 a0 = *reinterpret_cast<const float4*>(&as[s][kk][4 * ty]);
            float4 a1 = *reinterpret_cast<const float4*>(&as[s][kk][64 + 4 * ty]);
            float4 b0 = *reinterpret_cast<const float4*>(&bs[s][kk][4 * tx]);
            float4 b1 = *reinterpret_cast<const float4*>(&bs[s][kk][64 + 4 * tx]);
            float ra8[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            float rb8[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
            #pragma unroll
            for (int i = 0; i < 8; i++)
                #pragma unroll
                for (int j = 0; j < 8; j++) acc[i][j] = fmaf(ra8[i], rb8[j], acc[i][j]);
        }
        if (more) store(s ^ 1);
        __syncthreads();
        s ^= 1;
    }
    bool vecC = p.n % 4 == 0;
    #pragma unroll
    for (int i = 0; i < 8; i++) {
        long long row = m0 + (i < 4 ? 4 * ty + i : 64 + 4 * ty + i - 4);
        if (row >= p.m) continue;
        #pragma unroll
        for (int h = 0; h < 2; h++) {
            long long col = n0 + 64 * h + 4 * tx;
            float o[4];
            #pragma unroll
            for (int j = 0; j < 4; j++) o[j] = col + j < p.n ? epilogue_call(p, bias, row, col + j, acc[i][4 * h + j]) : 0.f;
            if (vecC && col + 3 < p.n) {
                *reinterpret_cast<float4*>(c + row * p.n + col) = make_float4(o[0], o[1], o[2], o[3]);
            } else {
                #pragma unroll
                for (int j = 0; j < 4; j++)
                    if (col + j < p.n) c[row * p.n + col + j] = o[j];
            }
        }
    }
}

// sgemm_3xtf32_f32 and sgemm_bf16_f32: sgemm_f32's function and arguments on 128 x 128 x 16
// tiles of 256 threads = 8 warps in a 2 (m) x 4 (n) grid, each warp a 64 x 32 output tile = 4 x 4
// mma.sync m16n8k8 tiles with fp32 accumulators; the global reads are Tile128Loader's, staged in
// registers while the current k tile is multiplied (two shared-memory stages). A is kept row-major
// (row stride 20 floats) and B k-major (row stride 136), so every fragment read of the tf32 layout
// hits 32 different banks. 3XTF32 splits each operand x into hi = tf32(x) and lo = tf32(x - hi)
// (the difference is exact in fp32) and issues, per 8 values of k, a_lo b_hi, a_hi b_lo, a_hi b_hi
// into one accumulator (the small products first); a_lo b_lo (below 2^-22 of the product) is left
// out. kernels/src/test/.../TensorCoreArithmetic.java emulates exactly this. BF16 rounds both
// operands to bf16 (nearest even) and issues one bf16 mma per 8 values of k.
#define TC_TF32X3 0
#define TC_BF16 1
#define TC_ALD (TK + 4)
#define TC_BLD (TB + 8)

// x = hi + lo + O(2^-22 |x|): both tf32 (13 low bits zero), hi rounded as cvt.rna does, lo the rounded rest.
__device__ __forceinline__ void split_tf32(float x, uint32_t& hi, uint32_t& lo) {
    hi = to_tf32(x) & 0xffffe000u;
    lo = to_tf32(x - __uint_as_float(hi)) & 0xffffe000u;
}

// Two floats as bf16x2 (round to nearest even): lo in bits 0-15, hi in bits 16-31.
__device__ __forceinline__ uint32_t pack_bf16(float lo, float hi) {
    uint32_t r;
    asm("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(r) : "f"(hi), "f"(lo));
    return r;
}

__device__ __forceinline__ void mma_tf32(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

__device__ __forceinline__ void mma_bf16(float (&d)[4], uint32_t a0, uint32_t a1, uint32_t b0) {
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a0), "r"(a1), "r"(b0));
}

template <int MODE>
__device__ __forceinline__ void sgemm_tc_128(float* c, const float* a, const float* b, const float* bias, const GemmArgs& p,
                                             const Geometry& batch) {
    __shared__ __align__(16) float as[2][TB][TC_ALD];
    __shared__ __align__(16) float bs[2][TK][TC_BLD];
    batch_bases(batch, a, b);
    c += (long long) blockIdx.z * p.m * p.n;
    long long m0 = (long long) blockIdx.y * TB, n0 = (long long) blockIdx.x * TB;
    int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    int wm = (warp >> 2) * 64, wn = (warp & 3) * 32;
    int g = lane >> 2, t4 = lane & 3;
    Tile128Loader ld(a, b, p, m0, n0, tid);
    float4 ra[2], rb[2];
    // Writes ra / rb to stage s: A row (q >> 2) at k 4 (q & 3) as one float4; B k-major.
    auto store = [&](int s) {
        #pragma unroll
        for (int h = 0; h < 2; h++) {
            int q = tid + 256 * h, o = q >> 2, k = 4 * (q & 3);
            *reinterpret_cast<float4*>(&as[s][o][k]) = ra[h];
            if (ld.bAlongN) {
                *reinterpret_cast<float4*>(&bs[s][q >> 5][4 * (q & 31)]) = rb[h];
            } else {
                bs[s][k][o] = rb[h].x;
                bs[s][k + 1][o] = rb[h].y;
                bs[s][k + 2][o] = rb[h].z;
                bs[s][k + 3][o] = rb[h].w;
            }
        }
    };
    float acc[4][4][4] = {};
    ld.load(p, 0, tid, ra, rb);
    store(0);
    __syncthreads();
    int s = 0;
    for (long long k0 = 0; k0 < p.k; k0 += TK) {
        bool more = k0 + TK < p.k;
        if (more) ld.load(p, k0 + TK, tid, ra, rb);
        #pragma unroll
        for (int kk = 0; kk < TK; kk += 8) {
            if (MODE == TC_TF32X3) {
                uint32_t ah[4][4], al[4][4], bh[4][2], bl[4][2];
                #pragma unroll
                for (int i = 0; i < 4; i++) {
                    int r = wm + 16 * i + g;
                    split_tf32(as[s][r][kk + t4], ah[i][0], al[i][0]);
                    split_tf32(as[s][r + 8][kk + t4], ah[i][1], al[i][1]);
                    split_tf32(as[s][r][kk + t4 + 4], ah[i][2], al[i][2]);
                    split_tf32(as[s][r + 8][kk + t4 + 4], ah[i][3], al[i][3]);
                }
                #pragma unroll
                for (int j = 0; j < 4; j++) {
                    int col = wn + 8 * j + g;
                    split_tf32(bs[s][kk + t4][col], bh[j][0], bl[j][0]);
                    split_tf32(bs[s][kk + t4 + 4][col], bh[j][1], bl[j][1]);
                }
                #pragma unroll
                for (int i = 0; i < 4; i++)
                    #pragma unroll
                    for (int j = 0; j < 4; j++) {
                        mma_tf32(acc[i][j], al[i], bh[j]);
                        mma_tf32(acc[i][j], ah[i], bl[j]);
                        mma_tf32(acc[i][j], ah[i], bh[j]);
                    }
            } else {
                uint32_t fa[4][2], fb[4];
                #pragma unroll
                for (int i = 0; i < 4; i++) {
                    int r = wm + 16 * i + g;
                    float2 x0 = *reinterpret_cast<const float2*>(&as[s][r][kk + 2 * t4]);
                    float2 x1 = *reinterpret_cast<const float2*>(&as[s][r + 8][kk + 2 * t4]);
                    fa[i][0] = pack_bf16(x0.x, x0.y);
                    fa[i][1] = pack_bf16(x1.x, x1.y);
                }
                #pragma unroll
                for (int j = 0; j < 4; j++) {
                    int col = wn + 8 * j + g;
                    fb[j] = pack_bf16(bs[s][kk + 2 * t4][col], bs[s][kk + 2 * t4 + 1][col]);
                }
                #pragma unroll
                for (int i = 0; i < 4; i++)
                    #pragma unroll
                    for (int j = 0; j < 4; j++) mma_bf16(acc[i][j], fa[i][0], fa[i][1], fb[j]);
            }
        }
        if (more) store(s ^ 1);
        __syncthreads();
        s ^= 1;
    }
    // Accumulator h of tile (i, j): row g (h < 2) or g + 8, column 2 t4 + (h & 1).
    bool vecC = p.n % 2 == 0;
    #pragma unroll
    for (int i = 0; i < 4; i++)
        #pragma unroll
        for (int half = 0; half < 2; half++) {
            long long row = m0 + wm + 16 * i + g + 8 * half;
            if (row >= p.m) continue;
            #pragma unroll
            for (int j = 0; j < 4; j++) {
                long long col = n0 + wn + 8 * j + 2 * t4;
                float o0 = col < p.n ? epilogue_call(p, bias, row, col, acc[i][j][2 * half]) : 0.f;
                float o1 = col + 1 < p.n ? epilogue_call(p, bias, row, col + 1, acc[i][j][2 * half + 1]) : 0.f;
                if (vecC && col + 1 < p.n) {
                    *reinterpret_cast<float2*>(c + row * p.n + col) = make_float2(o0, o1);
                } else if (col < p.n) {
                    c[row * p.n + col] = o0;
                }
            }
        }
}

extern "C" __global__ void __launch_bounds__(256, 1) sgemm_3xtf32_f32(float* c, const float* a, const float* b,
                                                                     const float* bias, GemmArgs p, Geometry batch) {
    sgemm_tc_128<TC_TF32X3>(c, a, b, bias, p, batch);
}

extern "C" __global__ void __launch_bounds__(256, 1) sgemm_bf16_f32(float* c, const float* a, const float* b,
                                                                   const float* bias, GemmArgs p, Geometry batch) {
    sgemm_tc_128<TC_BF16>(c, a, b, bias, p, batch);
}
