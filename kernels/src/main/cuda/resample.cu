// Bilinear (N*C planes, H x W -> outH x outW) and linear (rows, L -> outL) resizing with
// align_corners=False, bit-for-bit the CPU oracle's arithmetic: float scale, source index in
// double, float weights, products and sums rounded separately (no FMA contraction, in double
// or float).
// Inputs contiguous; one thread per output element.
#include "jsam_common.cuh"

__device__ __forceinline__ void coefficients(int inSize, int outSize, int dst, int& i0, int& i1, float& w0, float& w1) {
    float scale = (float) ((double) inSize / (double) outSize);
    double src = __dsub_rn(__dmul_rn((double) scale, dst + 0.5), 0.5);
    if (src < 0) src = 0;
    i0 = (int) src;
    i1 = i0 + (i0 < inSize - 1 ? 1 : 0);
    float l1 = (float) (src - i0);
    w0 = 1.f - l1;
    w1 = l1;
}

__device__ __forceinline__ float blend(float a, float wa, float b, float wb) {
    return __fadd_rn(__fmul_rn(a, wa), __fmul_rn(b, wb));
}

extern "C" __global__ void bilinear_f32(float* out, const float* x, long long planes, int h, int w, int outH, int outW) {
    long long n = planes * outH * outW;
    for (long long i = jsam_global_thread(); i < n; i += jsam_grid_stride()) {
        int ox = (int) (i % outW);
        int oy = (int) ((i / outW) % outH);
        long long p = i / ((long long) outW * outH);
        int y0, y1, x0, x1;
        float wy0, wy1, wx0, wx1;
        coefficients(h, outH, oy, y0, y1, wy0, wy1);
        coefficients(w, outW, ox, x0, x1, wx0, wx1);
        const float* base = x + p * h * w;
        float top = blend(base[y0 * w + x0], wx0, base[y0 * w + x1], wx1);
        float bottom = blend(base[y1 * w + x0], wx0, base[y1 * w + x1], wx1);
        out[i] = blend(top, wy0, bottom, wy1);
    }
}

extern "C" __global__ void linear_resize_f32(float* out, const float* x, long long rows, int len, int outL) {
    long long n = rows * outL;
    for (long long i = jsam_global_thread(); i < n; i += jsam_grid_stride()) {
        int o = (int) (i % outL);
        long long r = i / outL;
        int i0, i1;
        float w0, w1;
        coefficients(len, outL, o, i0, i1, w0, w1);
        out[i] = blend(x[r * len + i0], w0, x[r * len + i1], w1);
    }
}
