// Elementwise F32 kernels over any strided layout: unary ops, binary ops with broadcasting
// (broadcast dims carry stride 0) and ops with a scalar. Operand 0 of the Geometry is the
// output (usually contiguous), 1 and 2 the inputs. Grid-stride loops; no shared memory.
// Not fused chains: one op per launch.
#include "jsam_common.cuh"

extern "C" __global__ void unary_f32(float* out, const float* x, int op, Geometry g) {
    for (long long i = jsam_global_thread(); i < g.n; i += jsam_grid_stride()) {
        long long off[2];
        jsam_offsets<2>(g, i, off);
        out[off[0]] = jsam_unary(op, x[off[1]]);
    }
}

extern "C" __global__ void binary_f32(float* out, const float* a, const float* b, int op, Geometry g) {
    for (long long i = jsam_global_thread(); i < g.n; i += jsam_grid_stride()) {
        long long off[3];
        jsam_offsets<3>(g, i, off);
        out[off[0]] = jsam_binary(op, a[off[1]], b[off[2]]);
    }
}

extern "C" __global__ void binary_scalar_f32(float* out, const float* a, float s, int op, Geometry g) {
    for (long long i = jsam_global_thread(); i < g.n; i += jsam_grid_stride()) {
        long long off[2];
        jsam_offsets<2>(g, i, off);
        out[off[0]] = jsam_binary(op, a[off[1]], s);
    }
}

// Contiguous fast path: all operands dense and of the output's shape.
extern "C" __global__ void unary_dense_f32(float* out, const float* x, int op, long long n) {
    for (long long i = jsam_global_thread(); i < n; i += jsam_grid_stride()) {
        out[i] = jsam_unary(op, x[i]);
    }
}

extern "C" __global__ void binary_dense_f32(float* out, const float* a, const float* b, int op, long long n) {
    for (long long i = jsam_global_thread(); i < n; i += jsam_grid_stride()) {
        out[i] = jsam_binary(op, a[i], b[i]);
    }
}
