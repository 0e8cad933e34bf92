// The data movement around convolutions as GEMMs: im2col_f32 unfolds contiguous x (N, C, H, W)
// into cols (N, C*kh*kw, OH*OW) (zero padding) so conv2d = weight (Cout, C*kh*kw) x cols;
// col2im_f32 folds cols (N, Cout*kh*kw, H*W) of a transposed convolution (no padding) into
// (N, Cout, OH, OW) by gathering, so no atomics, and adds the bias. No GEMM here.
#include "jsam_common.cuh"

extern "C" __global__ void im2col_f32(float* cols, const float* x, int n, int c, int h, int w, int kh, int kw,
                                      int sh, int sw, int ph, int pw, int oh, int ow) {
    long long total = (long long) n * c * kh * kw * oh * ow;
    for (long long i = jsam_global_thread(); i < total; i += jsam_grid_stride()) {
        int ox = (int) (i % ow);
        int oy = (int) ((i / ow) % oh);
        long long row = i / ((long long) ow * oh);
        int kx = (int) (row % kw);
        int ky = (int) ((row / kw) % kh);
        int ci = (int) ((row / ((long long) kw * kh)) % c);
        long long img = row / ((long long) kw * kh * c);
        int iy = oy * sh - ph + ky, ix = ox * sw - pw + kx;
        cols[i] = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[((img * c + ci) * h + iy) * w + ix] : 0.f;
    }
}

extern "C" __global__ void col2im_f32(float* out, const float* cols, const float* bias, int n, int cout, int h, int w,
                                      int kh, int kw, int sh, int sw, int oh, int ow) {
    long long total = (long long) n * cout * oh * ow;
    for (long long i = jsam_global_thread(); i < total; i += jsam_grid_stride()) {
        int ox = (int) (i % ow);
        int oy = (int) ((i / ow) % oh);
        int co = (int) ((i / ((long long) ow * oh)) % cout);
        long long img = i / ((long long) ow * oh * cout);
        float acc = 0.f;
        for (int ky = 0; ky < kh; ky++) {
            int ty = oy - ky;
            if (ty < 0 || ty % sh != 0 || ty / sh >= h) continue;
            for (int kx = 0; kx < kw; kx++) {
                int tx = ox - kx;
                if (tx < 0 || tx % sw != 0 || tx / sw >= w) continue;
                long long row = ((img * cout + co) * kh + ky) * kw + kx;
                acc += cols[row * h * w + (ty / sh) * w + tx / sw];
            }
        }
        out[i] = bias != nullptr ? acc + bias[co] : acc;
    }
}
