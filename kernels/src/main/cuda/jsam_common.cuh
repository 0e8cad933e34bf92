// Shared definitions of the jsam CUDA kernels: the by-value geometry struct that describes a
// strided iteration (up to JSAM_MAX_RANK dims, up to three operands) and the index decoding.
// The Java side (dev.jsam.tensor.cuda.Geometry) packs the same layout as 64-bit integers.
// This header has no kernels of its own.
#pragma once
#include <stdint.h>

#define JSAM_MAX_RANK 8

// Iteration over `n` elements of a row-major `shape`; operand k's element at a multi-index is
// at sum(idx[d] * stride[k][d]) elements from its base pointer. Unused dims have shape 1.
struct Geometry {
    long long n;
    long long rank;
    long long shape[JSAM_MAX_RANK];
    long long stride[3][JSAM_MAX_RANK];
};

// Element offsets of the linear index i in operands 0..count-1. Index arithmetic is 32-bit
// (much cheaper division on the GPU) whenever the whole iteration fits in 31 bits.
template <int COUNT>
__device__ __forceinline__ void jsam_offsets(const Geometry& g, long long i, long long* off) {
    #pragma unroll
    for (int k = 0; k < COUNT; k++) off[k] = 0;
    if (g.n <= 0x7fffffffLL) {
        unsigned int u = (unsigned int) i;
        for (int d = (int) g.rank - 1; d >= 0; d--) {
            unsigned int s = (unsigned int) g.shape[d];
            unsigned int c = u % s;
            u /= s;
            #pragma unroll
            for (int k = 0; k < COUNT; k++) off[k] += (long long) c * g.stride[k][d];
        }
        return;
    }
    for (int d = (int) g.rank - 1; d >= 0; d--) {
        long long s = g.shape[d];
        long long c = i % s;
        i /= s;
        #pragma unroll
        for (int k = 0; k < COUNT; k++) off[k] += c * g.stride[k][d];
    }
}

__device__ __forceinline__ long long jsam_global_thread() {
    return (long long) blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ long long jsam_grid_stride() {
    return (long long) gridDim.x * blockDim.x;
}

// Numbers shared with the Java enums UnaryOp / BinaryOp (by ordinal) and DType codes.
enum { U_NEG, U_ABS, U_EXP, U_SIN, U_COS, U_SQRT, U_RELU, U_SIGMOID, U_GELU };
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_GT };

// GELU x * Phi(x) = 0.5 x erfc(-x / sqrt 2). In the negative tail erfc(z) = erfcx(z) exp(-z^2)
// with z^2 = x^2 / 2 split exactly into hi + lo (FMA), so the rounding of z does not get
// amplified by exp (GELU(-10) ~ 1e-22 keeps its relative accuracy). +-inf give NaN, as the
// CPU oracle does.
__device__ __forceinline__ float jsam_gelu(float x) {
    if (isinf(x)) return __int_as_float(0x7fc00000);
    float z = -x * 0.70710678118654752f;
    if (z > 0.5f) {
        float hi = x * x;
        float lo = fmaf(x, x, -hi);
        return 0.5f * x * (erfcxf(z) * (expf(-0.5f * hi) * expf(-0.5f * lo)));
    }
    return 0.5f * x * erfcf(z);
}

__device__ __forceinline__ float jsam_unary(int op, float x) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return fabsf(x);
        case U_EXP: return expf(x);
        case U_SIN: return sinf(x);
        case U_COS: return cosf(x);
        case U_SQRT: return sqrtf(x);
        case U_RELU: return x > 0.f ? x : 0.f;
        case U_SIGMOID: return 1.f / (1.f + expf(-x));
        default: return jsam_gelu(x);
    }
}

__device__ __forceinline__ float jsam_binary(int op, float a, float b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return (a != a || b != b) ? __int_as_float(0x7fc00000) : fmaxf(a, b);
        case B_MIN: return (a != a || b != b) ? __int_as_float(0x7fc00000) : fminf(a, b);
        default: return a > b ? 1.f : 0.f;
    }
}

// Activation codes of the GEMM epilogue (Java Activation ordinals).
enum { ACT_NONE, ACT_RELU, ACT_GELU };

__device__ __forceinline__ float jsam_activate(int act, float x) {
    return act == ACT_RELU ? (x > 0.f ? x : 0.f) : act == ACT_GELU ? jsam_gelu(x) : x;
}

__device__ __forceinline__ float jsam_warp_sum(float v) {
    #pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float jsam_warp_max(float v) {
    #pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum (or max) over the whole block; every thread gets the result. blockDim.x a multiple of 32.
__device__ __forceinline__ float jsam_block_reduce(float v, bool isMax) {
    __shared__ float partial[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = isMax ? jsam_warp_max(v) : jsam_warp_sum(v);
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    float r = lane < warps ? partial[lane] : (isMax ? -INFINITY : 0.f);
    return isMax ? jsam_warp_max(r) : jsam_warp_sum(r);
}
