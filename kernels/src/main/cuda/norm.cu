// Layer norms in F32 with a two-pass (mean, then centred variance) biased variance:
// layernorm_f32 normalises each row of a contiguous (rows, c) tensor, one block per row;
// layernorm2d_f32 normalises over C of a contiguous (N, C, HW) tensor, one thread per pixel
// (coalesced along HW). Not Welford, not fused with the following op.
#include "jsam_common.cuh"

extern "C" __global__ void layernorm_f32(float* out, const float* x, const float* weight, const float* bias,
                                         long long rows, int c, float eps) {
    long long row = blockIdx.x;
    if (row >= rows) return;
    const float* p = x + row * c;
    float* q = out + row * c;
    float s = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) s += p[j];
    float mean = jsam_block_reduce(s, false) / (float) c;
    float v = 0.f;
    for (int j = threadIdx.x; j < c; j += blockDim.x) {
        float d = p[j] - mean;
        v += d * d;
    }
    float var = jsam_block_reduce(v, false) / (float) c;
    float inv = 1.f / sqrtf(var + eps);
    for (int j = threadIdx.x; j < c; j += blockDim.x) q[j] = (p[j] - mean) * inv * weight[j] + bias[j];
}

extern "C" __global__ void layernorm2d_f32(float* out, const float* x, const float* weight, const float* bias,
                                           long long n, int c, long long hw, float eps) {
    long long t = jsam_global_thread();
    if (t >= n * hw) return;
    long long img = t / hw, px = t % hw;
    const float* p = x + img * c * hw + px;
    float* q = out + img * c * hw + px;
    float s = 0.f;
    for (int j = 0; j < c; j++) s += p[j * hw];
    float mean = s / (float) c;
    float v = 0.f;
    for (int j = 0; j < c; j++) {
        float d = p[j * hw] - mean;
        v += d * d;
    }
    float inv = 1.f / sqrtf(v / (float) c + eps);
    for (int j = 0; j < c; j++) q[j * hw] = (p[j * hw] - mean) * inv * weight[j] + bias[j];
}
