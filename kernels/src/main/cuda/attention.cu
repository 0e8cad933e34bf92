// Fused F32 attention softmax(scale q k^T + bias) v, online softmax, no score matrix in global
// memory. q (B, Nq, d), k, v (B, Nk, d) contiguous, d <= 128; bias of query i, key j = (y, x) of
// a kh x kw grid is relH[b, i, y] + relW[b, i, x] (SAM's decomposed rel-pos; nullptr: none).
// 4 warps x 4 queries per block; 32-key K/V tiles in shared memory; lane j scores key j and
// owns output columns lane + 32u.
#include "jsam_common.cuh"

#define ATT_WARPS 4
#define ATT_QPW 4
#define ATT_KT 32
#define ATT_MAXD 128

extern "C" __global__ void __launch_bounds__(ATT_WARPS * 32) attention_f32(
        float* out, const float* q, const float* k, const float* v, const float* relH, const float* relW,
        int nq, int nk, int d, int kh, int kw, float scale) {
    extern __shared__ float smem[];
    int ld = d + 1;
    float* qs = smem;
    float* ks = qs + ATT_WARPS * ATT_QPW * ld;
    float* vs = ks + ATT_KT * ld;
    int b = blockIdx.y;
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    int qBlock = blockIdx.x * ATT_WARPS * ATT_QPW;
    q += (long long) b * nq * d;
    k += (long long) b * nk * d;
    v += (long long) b * nk * d;
    out += (long long) b * nq * d;
    for (int e = threadIdx.x; e < ATT_WARPS * ATT_QPW * d; e += blockDim.x) {
        int r = e / d, c = e % d;
        qs[r * ld + c] = qBlock + r < nq ? q[(long long) (qBlock + r) * d + c] : 0.f;
    }
    float m[ATT_QPW], l[ATT_QPW], acc[ATT_QPW][ATT_MAXD / 32];
    #pragma unroll
    for (int r = 0; r < ATT_QPW; r++) {
        m[r] = -INFINITY;
        l[r] = 0.f;
        #pragma unroll
        for (int u = 0; u < ATT_MAXD / 32; u++) acc[r][u] = 0.f;
    }
    for (int kt = 0; kt < nk; kt += ATT_KT) {
        __syncthreads();
        for (int e = threadIdx.x; e < ATT_KT * d; e += blockDim.x) {
            int r = e / d, c = e % d;
            bool in = kt + r < nk;
            ks[r * ld + c] = in ? k[(long long) (kt + r) * d + c] : 0.f;
            vs[r * ld + c] = in ? v[(long long) (kt + r) * d + c] : 0.f;
        }
        __syncthreads();
        int j = kt + lane;
        #pragma unroll
        for (int r = 0; r < ATT_QPW; r++) {
            int row = warp * ATT_QPW + r;
            int qi = qBlock + row;
            if (qi >= nq) break;
            float s = -INFINITY;
            if (j < nk) {
                float dot = 0.f;
                for (int c = 0; c < d; c++) dot = fmaf(qs[row * ld + c], ks[lane * ld + c], dot);
                s = scale * dot;
                if (relH != nullptr) {
                    s += relH[((long long) b * nq + qi) * kh + j / kw] + relW[((long long) b * nq + qi) * kw + j % kw];
                }
            }
            float mNew = fmaxf(m[r], jsam_warp_max(s));
            float corr = m[r] == -INFINITY ? 0.f : expf(m[r] - mNew);
            float p = s == -INFINITY ? 0.f : expf(s - mNew);
            l[r] = l[r] * corr + jsam_warp_sum(p);
            m[r] = mNew;
            #pragma unroll
            for (int u = 0; u < ATT_MAXD / 32; u++) acc[r][u] *= corr;
            for (int jj = 0; jj < ATT_KT && kt + jj < nk; jj++) {
                float pj = __shfl_sync(0xffffffffu, p, jj);
                #pragma unroll
                for (int u = 0; u < ATT_MAXD / 32; u++) {
                    int c = lane + 32 * u;
                    if (c < d) acc[r][u] = fmaf(pj, vs[jj * ld + c], acc[r][u]);
                }
            }
        }
    }
    #pragma unroll
    for (int r = 0; r < ATT_QPW; r++) {
        int qi = qBlock + warp * ATT_QPW + r;
        if (qi >= nq) break;
        #pragma unroll
        for (int u = 0; u < ATT_MAXD / 32; u++) {
            int c = lane + 32 * u;
            if (c < d) out[(long long) qi * d + c] = acc[r][u] / l[r];
        }
    }
}
