// Data movement for every dtype: strided copies by element width (contiguous(), pad, concat,
// repeat_interleave, window partition and fills from a broadcast scalar are all strided copies
// between views), dtype casts with the CPU backend's rounding rules, and index_select.
// Operand 0 of the Geometry is the destination, operand 1 the source. Only cast reads values.
#include "jsam_common.cuh"
#include <cuda_fp16.h>
#include <cuda_bf16.h>

template <typename T>
__device__ void copy_strided(T* dst, const T* src, const Geometry& g) {
    for (long long i = jsam_global_thread(); i < g.n; i += jsam_grid_stride()) {
        long long off[2];
        jsam_offsets<2>(g, i, off);
        dst[off[0]] = src[off[1]];
    }
}

extern "C" __global__ void copy_b1(uint8_t* dst, const uint8_t* src, Geometry g) { copy_strided(dst, src, g); }
extern "C" __global__ void copy_b2(uint16_t* dst, const uint16_t* src, Geometry g) { copy_strided(dst, src, g); }
extern "C" __global__ void copy_b4(uint32_t* dst, const uint32_t* src, Geometry g) { copy_strided(dst, src, g); }
extern "C" __global__ void copy_b8(uint64_t* dst, const uint64_t* src, Geometry g) { copy_strided(dst, src, g); }

// DType codes: the ordinals of dev.jsam.tensor.DType.
enum { T_F32, T_F16, T_BF16, T_F64, T_I64, T_I32, T_I16, T_I8, T_U8, T_BOOL };

__device__ double load_as_double(const void* p, long long i, int t) {
    switch (t) {
        case T_F32: return ((const float*) p)[i];
        case T_F16: return __half2float(((const __half*) p)[i]);
        case T_BF16: return __bfloat162float(((const __nv_bfloat16*) p)[i]);
        case T_F64: return ((const double*) p)[i];
        case T_I64: return (double) ((const long long*) p)[i];
        case T_I32: return ((const int*) p)[i];
        case T_I16: return ((const short*) p)[i];
        case T_I8: return ((const signed char*) p)[i];
        case T_U8: return ((const unsigned char*) p)[i];
        default: return ((const unsigned char*) p)[i] != 0 ? 1.0 : 0.0;
    }
}

// Java semantics: floats round to nearest even (via float for F16/BF16), integers truncate
// toward zero and saturate to long/int, narrower integers wrap from the long value.
__device__ void store_from_double(void* p, long long i, int t, double v) {
    long long l = v != v ? 0 : v >= 9.2233720368547758e18 ? 0x7fffffffffffffffLL
            : v <= -9.2233720368547758e18 ? (long long) 0x8000000000000000ULL : (long long) v;
    switch (t) {
        case T_F32: ((float*) p)[i] = (float) v; break;
        case T_F16: ((__half*) p)[i] = __float2half_rn((float) v); break;
        case T_BF16: ((__nv_bfloat16*) p)[i] = __float2bfloat16_rn((float) v); break;
        case T_F64: ((double*) p)[i] = v; break;
        case T_I64: ((long long*) p)[i] = l; break;
        case T_I32: ((int*) p)[i] = v != v ? 0 : v >= 2147483647.0 ? 2147483647 : v <= -2147483648.0 ? (int) 0x80000000 : (int) v; break;
        case T_I16: ((short*) p)[i] = (short) l; break;
        case T_I8:
        case T_U8: ((unsigned char*) p)[i] = (unsigned char) l; break;
        default: ((unsigned char*) p)[i] = v != 0 ? 1 : 0; break;
    }
}

// dst (contiguous, dtype dstType) = cast(src view, srcType). Geometry operand 0 is unused.
extern "C" __global__ void cast_any(void* dst, int dstType, const void* src, int srcType, Geometry g) {
    for (long long i = jsam_global_thread(); i < g.n; i += jsam_grid_stride()) {
        long long off[2];
        jsam_offsets<2>(g, i, off);
        store_from_double(dst, i, dstType, load_as_double(src, off[1], srcType));
    }
}

// out (outer, count, inner) = x (outer, dimSize, inner)[:, index[j], :], x contiguous, I64 index.
// An index outside [0, dimSize) writes zeros and is reported through fault, which the host reads at
// its next read-back instead of synchronising here: the first such launch to claim fault[0] (0 =
// none) stores 1 + the position j there, the index value in fault[1] and the launch's tag in fault[2].
template <typename T>
__device__ void index_select(T* out, const T* x, const long long* index, long long outer, long long count,
                             long long dimSize, long long inner, unsigned long long* fault, long long tag) {
    long long n = outer * count * inner;
    for (long long i = jsam_global_thread(); i < n; i += jsam_grid_stride()) {
        long long r = i % inner;
        long long j = (i / inner) % count;
        long long o = i / (inner * count);
        long long src = index[j];
        if (src < 0 || src >= dimSize) {
            if (atomicCAS(&fault[0], 0ull, (unsigned long long) (j + 1)) == 0ull) {
                fault[1] = (unsigned long long) src;
                fault[2] = (unsigned long long) tag;
            }
            out[i] = 0;
            continue;
        }
        out[i] = x[(o * dimSize + src) * inner + r];
    }
}

#define INDEX_SELECT(NAME, T)                                                                                          \
    extern "C" __global__ void NAME(T* out, const T* x, const long long* index, long long outer, long long count,      \
                                    long long dimSize, long long inner, unsigned long long* fault, long long tag) {    \
        index_select(out, x, index, outer, count, dimSize, inner, fault, tag);                                         \
    }
INDEX_SELECT(index_select_b1, uint8_t)
INDEX_SELECT(index_select_b2, uint16_t)
INDEX_SELECT(index_select_b4, uint32_t)
INDEX_SELECT(index_select_b8, uint64_t)
