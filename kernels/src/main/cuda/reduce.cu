// Reductions of a contiguous F32 tensor viewed as (outer, n, inner) along n: sum, mean, max
// (one warp per output element), argmax (first maximum, NaN counts as the maximum, I64 out)
// and softmax along the last dim (one block per row, max-subtracted). The host makes strided
// inputs contiguous first; these kernels do not read strides.
#include "jsam_common.cuh"

enum { R_SUM, R_MEAN, R_MAX };

extern "C" __global__ void reduce_f32(float* out, const float* x, int op, long long outer, long long n, long long inner) {
    long long warpsPerBlock = blockDim.x >> 5;
    long long w = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5);
    int lane = threadIdx.x & 31;
    if (w >= outer * inner) return;
    long long o = w / inner, r = w % inner;
    const float* p = x + o * n * inner + r;
    float acc = op == R_MAX ? -INFINITY : 0.f;
    bool nan = false;
    for (long long j = lane; j < n; j += 32) {
        float v = p[j * inner];
        if (op == R_MAX) {
            nan |= v != v;
            acc = fmaxf(acc, v);
        } else {
            acc += v;
        }
    }
    if (op == R_MAX) {
        acc = jsam_warp_max(acc);
        nan = __any_sync(0xffffffffu, nan);
        if (nan) acc = __int_as_float(0x7fc00000);
    } else {
        acc = jsam_warp_sum(acc);
        if (op == R_MEAN) acc /= (float) n;
    }
    if (lane == 0) out[w] = acc;
}

__device__ __forceinline__ bool argmax_better(float v, long long i, float bv, long long bi) {
    bool vn = v != v, bn = bv != bv;
    if (vn || bn) return vn && (!bn || i < bi);
    return v > bv || (v == bv && i < bi);
}

extern "C" __global__ void argmax_f32(long long* out, const float* x, long long outer, long long n, long long inner) {
    long long warpsPerBlock = blockDim.x >> 5;
    long long w = blockIdx.x * warpsPerBlock + (threadIdx.x >> 5);
    int lane = threadIdx.x & 31;
    if (w >= outer * inner) return;
    long long o = w / inner, r = w % inner;
    const float* p = x + o * n * inner + r;
    float bv = -INFINITY;
    long long bi = n;
    for (long long j = lane; j < n; j += 32) {
        float v = p[j * inner];
        if (bi == n || argmax_better(v, j, bv, bi)) {
            bv = v;
            bi = j;
        }
    }
    for (int s = 16; s > 0; s >>= 1) {
        float ov = __shfl_xor_sync(0xffffffffu, bv, s);
        long long oi = __shfl_xor_sync(0xffffffffu, bi, s);
        if (oi != n && (bi == n || argmax_better(ov, oi, bv, bi))) {
            bv = ov;
            bi = oi;
        }
    }
    if (lane == 0) out[w] = bi == n ? 0 : bi;
}

extern "C" __global__ void softmax_f32(float* out, const float* x, long long rows, long long n) {
    long long row = blockIdx.x;
    if (row >= rows) return;
    const float* p = x + row * n;
    float* q = out + row * n;
    float m = -INFINITY;
    for (long long j = threadIdx.x; j < n; j += blockDim.x) m = fmaxf(m, p[j]);
    m = jsam_block_reduce(m, true);
    float s = 0.f;
    for (long long j = threadIdx.x; j < n; j += blockDim.x) s += expf(p[j] - m);
    s = jsam_block_reduce(s, false);
    for (long long j = threadIdx.x; j < n; j += blockDim.x) q[j] = expf(p[j] - m) / s;
}
