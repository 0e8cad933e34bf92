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

// The same function, tiled like a GEMM for head dims divisible by 4 (d <= 128): 64 queries per
// block of 4 warps, 32-key K/V tiles. Thread (warp w, lane = 8g + t) owns query rows
// 16w + g + 4i (i < 4) and, per tile, keys t + 8jj (jj < 4): 16 scores from float4 reads of q
// and k rows, an online-softmax update reduced over the 8 lanes of its group, probabilities
// written to a per-warp part of shared memory, then output columns 4(t + 8u) .. +3 (u < 4) of
// its 4 rows from float4 reads of p and v. Rows of q, k, v are padded to d + 4 floats in shared
// memory, so every read above is free of bank conflicts. Dynamic shared memory:
// (64 + 2 * 32) * (d + 4) * 4 + 64 * 40 * 4 bytes (45 KB at d = 64, 52 KB at d = 80).
#define AT_Q 64
#define AT_K 32
#define AT_PLD 40

extern "C" __global__ void __launch_bounds__(128) attention_tiled_f32(
        float* out, const float* q, const float* k, const float* v, const float* relH, const float* relW,
        int nq, int nk, int d, int kh, int kw, float scale) {
    extern __shared__ float4 smem4[];
    float* smem = reinterpret_cast<float*>(smem4);
    int ld = d + 4, d4 = d >> 2;
    float* qs = smem;
    float* ks = qs + AT_Q * ld;
    float* vs = ks + AT_K * ld;
    float* ps = vs + AT_K * ld;
    int b = blockIdx.y;
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    int g = lane >> 3, t = lane & 7;
    int q0 = blockIdx.x * AT_Q;
    q += (long long) b * nq * d;
    k += (long long) b * nk * d;
    v += (long long) b * nk * d;
    out += (long long) b * nq * d;
    const float4 zero = make_float4(0.f, 0.f, 0.f, 0.f);
    for (int e = threadIdx.x; e < AT_Q * d4; e += blockDim.x) {
        int r = e / d4, c = e - r * d4;
        *reinterpret_cast<float4*>(qs + r * ld + 4 * c) =
                q0 + r < nq ? reinterpret_cast<const float4*>(q + (long long) (q0 + r) * d)[c] : zero;
    }
    int rows[4];
    float m[4], l[4], acc[4][16];
    #pragma unroll
    for (int i = 0; i < 4; i++) {
        rows[i] = 16 * warp + g + 4 * i;
        m[i] = -INFINITY;
        l[i] = 0.f;
        #pragma unroll
        for (int c = 0; c < 16; c++) acc[i][c] = 0.f;
    }
    for (int kt = 0; kt < nk; kt += AT_K) {
        __syncthreads();
        for (int e = threadIdx.x; e < AT_K * d4; e += blockDim.x) {
            int r = e / d4, c = e - r * d4;
            bool in = kt + r < nk;
            *reinterpret_cast<float4*>(ks + r * ld + 4 * c) =
                    in ? reinterpret_cast<const float4*>(k + (long long) (kt + r) * d)[c] : zero;
            *reinterpret_cast<float4*>(vs + r * ld + 4 * c) =
                    in ? reinterpret_cast<const float4*>(v + (long long) (kt + r) * d)[c] : zero;
        }
        __syncthreads();
        float s[4][4];
        #pragma unroll
        for (int i = 0; i < 4; i++) {
            #pragma unroll
            for (int jj = 0; jj < 4; jj++) s[i][jj] = 0.f;
        }
        #pragma unroll 4
        for (int c = 0; c < d; c += 4) {
            float4 qa[4], kb[4];
            #pragma unroll
            for (int i = 0; i < 4; i++) qa[i] = *reinterpret_cast<const float4*>(qs + rows[i] * ld + c);
            #pragma unroll
            for (int jj = 0; jj < 4; jj++) kb[jj] = *reinterpret_cast<const float4*>(ks + (t + 8 * jj) * ld + c);
            #pragma unroll
            for (int i = 0; i < 4; i++) {
                #pragma unroll
                for (int jj = 0; jj < 4; jj++) {
                    float x = s[i][jj];
                    x = fmaf(qa[i].x, kb[jj].x, x);
                    x = fmaf(qa[i].y, kb[jj].y, x);
                    x = fmaf(qa[i].z, kb[jj].z, x);
                    s[i][jj] = fmaf(qa[i].w, kb[jj].w, x);
                }
            }
        }
        int ky[4], kx[4];
        bool valid[4];
        #pragma unroll
        for (int jj = 0; jj < 4; jj++) {
            int j = kt + t + 8 * jj;
            valid[jj] = j < nk;
            ky[jj] = relH != nullptr ? j / kw : 0;
            kx[jj] = j - ky[jj] * kw;
        }
        #pragma unroll
        for (int i = 0; i < 4; i++) {
            int qi = q0 + rows[i];
            bool bias = relH != nullptr && qi < nq;
            const float* rh = bias ? relH + ((long long) b * nq + qi) * kh : nullptr;
            const float* rw = bias ? relW + ((long long) b * nq + qi) * kw : nullptr;
            float mx = -INFINITY;
            #pragma unroll
            for (int jj = 0; jj < 4; jj++) {
                float x = scale * s[i][jj];
                if (bias && valid[jj]) x += rh[ky[jj]] + rw[kx[jj]];
                s[i][jj] = valid[jj] ? x : -INFINITY;
                mx = fmaxf(mx, s[i][jj]);
            }
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 1));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 2));
            mx = fmaxf(mx, __shfl_xor_sync(0xffffffffu, mx, 4));
            float mNew = fmaxf(m[i], mx);
            float corr = m[i] == -INFINITY ? 0.f : expf(m[i] - mNew);
            float sum = 0.f;
            #pragma unroll
            for (int jj = 0; jj < 4; jj++) {
                float p = valid[jj] ? expf(s[i][jj] - mNew) : 0.f;
                ps[rows[i] * AT_PLD + t + 8 * jj] = p;
                sum += p;
            }
            sum += __shfl_xor_sync(0xffffffffu, sum, 1);
            sum += __shfl_xor_sync(0xffffffffu, sum, 2);
            sum += __shfl_xor_sync(0xffffffffu, sum, 4);
            l[i] = l[i] * corr + sum;
            m[i] = mNew;
            #pragma unroll
            for (int c = 0; c < 16; c++) acc[i][c] *= corr;
        }
        __syncwarp();
        #pragma unroll 2
        for (int j = 0; j < AT_K; j += 4) {
            float4 pa[4];
            #pragma unroll
            for (int i = 0; i < 4; i++) pa[i] = *reinterpret_cast<const float4*>(ps + rows[i] * AT_PLD + j);
            #pragma unroll
            for (int u = 0; u < 4; u++) {
                int cc = t + 8 * u;
                if (cc < d4) {
                    float4 v0 = *reinterpret_cast<const float4*>(vs + (j + 0) * ld + 4 * cc);
                    float4 v1 = *reinterpret_cast<const float4*>(vs + (j + 1) * ld + 4 * cc);
                    float4 v2 = *reinterpret_cast<const float4*>(vs + (j + 2) * ld + 4 * cc);
                    float4 v3 = *reinterpret_cast<const float4*>(vs + (j + 3) * ld + 4 * cc);
                    #pragma unroll
                    for (int i = 0; i < 4; i++) {
                        float* a = &acc[i][4 * u];
                        a[0] = fmaf(pa[i].w, v3.x, fmaf(pa[i].z, v2.x, fmaf(pa[i].y, v1.x, fmaf(pa[i].x, v0.x, a[0]))));
                        a[1] = fmaf(pa[i].w, v3.y, fmaf(pa[i].z, v2.y, fmaf(pa[i].y, v1.y, fmaf(pa[i].x, v0.y, a[1]))));
                        a[2] = fmaf(pa[i].w, v3.z, fmaf(pa[i].z, v2.z, fmaf(pa[i].y, v1.z, fmaf(pa[i].x, v0.z, a[2]))));
                        a[3] = fmaf(pa[i].w, v3.w, fmaf(pa[i].z, v2.w, fmaf(pa[i].y, v1.w, fmaf(pa[i].x, v0.w, a[3]))));
                    }
                }
            }
        }
        __syncwarp();
    }
    #pragma unroll
    for (int i = 0; i < 4; i++) {
        int qi = q0 + rows[i];
        if (qi >= nq) continue;
        float inv = 1.f / l[i];
        #pragma unroll
        for (int u = 0; u < 4; u++) {
            int cc = t + 8 * u;
            if (cc < d4) {
                float4 o = make_float4(acc[i][4 * u] * inv, acc[i][4 * u + 1] * inv, acc[i][4 * u + 2] * inv,
                                       acc[i][4 * u + 3] * inv);
                reinterpret_cast<float4*>(out + (long long) qi * d)[cc] = o;
            }
        }
    }
}
