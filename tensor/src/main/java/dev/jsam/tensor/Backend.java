package dev.jsam.tensor;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What computes tensors: memory management plus a small set of ops, and the few fused ops that
 * profiling justifies (softmax, layer norm, linear with activation, conv, attention). Every
 * op takes tensors of this backend in any layout (views, broadcasts) and returns a new
 * contiguous tensor; nothing here assumes the data is in host memory. Compute is F32.
 * Implementations: the CPU backend (scalar reference and Vector API) and CUDA (jsam-kernels).
 * Thread safety is each implementation's, stated by {@link #concurrentUse()}: the CPU backends
 * take ops from any number of threads at once, the CUDA backend one thread at a time.
 */
public interface Backend extends AutoCloseable {

    /** Short name used for selection ("cpu", "cpu-reference", "cuda"). */
    String name();

    // ---- memory --------------------------------------------------------------------------

    /**
     * Opens a {@link TensorScope} of this backend on the calling thread: the tensors its ops
     * create there until it closes are released then (their memory reused at once) unless kept.
     */
    default TensorScope scope() {
        return TensorScope.open(this);
    }

    /** A zero-filled contiguous tensor. */
    Tensor zeros(DType dtype, int... shape);

    /** A contiguous tensor holding a copy of little-endian host bytes of the given dtype and shape. */
    Tensor copyFromHost(DType dtype, MemorySegment bytes, int... shape);

    /**
     * A tensor over little-endian host bytes without copying where the backend can read host
     * memory (CPU: a mapped weights file stays mapped); other backends copy. The caller keeps
     * the memory alive and unchanged while the tensor is in use.
     */
    Tensor wrapHost(DType dtype, MemorySegment bytes, int... shape);

    /** Copies the elements of src, in row-major order of its view, as little-endian bytes into dst. */
    void copyToHost(Tensor src, MemorySegment dst);

    /** src itself when already contiguous, else a contiguous copy. */
    Tensor contiguous(Tensor src);

    /** Converts to another dtype (floats round to nearest even; floats to integers truncate). */
    Tensor cast(Tensor src, DType to);

    // ---- elementwise ---------------------------------------------------------------------

    Tensor unary(UnaryOp op, Tensor x);

    /** a op b with numpy broadcasting. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /** a op s for every element. */
    Tensor binary(BinaryOp op, Tensor a, float s);

    // ---- reductions and normalisation ----------------------------------------------------

    /** Reduces along dim; keepDim keeps it as size 1. */
    Tensor reduce(ReduceOp op, Tensor x, int dim, boolean keepDim);

    /** Index of the first maximum along dim, as I64 (torch.argmax). */
    Tensor argmax(Tensor x, int dim, boolean keepDim);

    /** Softmax along the last dim. */
    Tensor softmax(Tensor x);

    /** LayerNorm over the last dim: (x - mean) / sqrt(var + eps) * weight + bias, biased variance. */
    Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps);

    /** SAM's LayerNorm2d: the same over dim 1 of (N, C, H, W), weight and bias of shape (C). */
    Tensor layerNorm2d(Tensor x, Tensor weight, Tensor bias, float eps);

    // ---- linear algebra ------------------------------------------------------------------

    /**
     * (..., M, K) @ (..., K, N) -> (..., M, N) with broadcast batch dims. Transposed operands are
     * passed as transposed views; the kernel reads any strides.
     */
    Tensor matmul(Tensor a, Tensor b);

    /** x (..., K) @ weight (N, K)^T + bias (N, may be null), then the activation: (..., N). */
    Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation activation);

    /** 2-D convolution: x (N, Cin, H, W), weight (Cout, Cin, kh, kw), bias (Cout) or null. */
    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW);

    /**
     * Depthwise 2-D convolution (torch's Conv2d with groups = channels): x (N, C, H, W), weight
     * (C, 1, kh, kw), bias (C) or null; each channel with its own kernel. The default composes it
     * of other ops ({@link DepthwiseByTaps}); a backend overrides it with a kernel.
     */
    default Tensor depthwiseConv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW) {
        return DepthwiseByTaps.compute(this, x, weight, bias, strideH, strideW, padH, padW);
    }

    /** Transposed convolution without padding: x (N, Cin, H, W), weight (Cin, Cout, kh, kw). */
    Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW);

    /**
     * Fused attention softmax(scale * q k^T + bias) v without forming more than a block of the
     * score matrix: q (B, Nq, d), k and v (B, Nk, d). With relH (B, Nq, kh) and relW (B, Nq, kw)
     * (both or neither; Nk = kh * kw) the bias of query i and key j = (y, x) is
     * relH[i, y] + relW[i, x]: SAM's decomposed relative positions.
     */
    Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW);

    // ---- data movement and resampling ----------------------------------------------------

    /**
     * Constant padding of the trailing dims, as torch.nn.functional.pad: pads holds
     * (before, after) pairs starting from the LAST dim.
     */
    Tensor pad(Tensor x, int[] pads, float value);

    /** Concatenation along dim; all other dims must match. */
    Tensor concat(List<Tensor> parts, int dim);

    /** Each slice along dim repeated `repeats` times in place (torch.repeat_interleave). */
    Tensor repeatInterleave(Tensor x, int repeats, int dim);

    /** Slices along dim picked by an I32 or I64 index tensor (torch.index_select). */
    Tensor indexSelect(Tensor x, int dim, Tensor index);

    /** Bilinear resize of (N, C, H, W) to (N, C, outH, outW), align_corners=False, no antialias. */
    Tensor interpolateBilinear(Tensor x, int outH, int outW);

    /**
     * SAM's mask postprocessing as one op: (N, C, h, w) resized bilinearly to (midH, midW), its
     * top-left cropH x cropW kept, and that resized to (N, C, outH, outW). The same values as two
     * {@link #interpolateBilinear} with a narrow between, which the default runs (holding the
     * middle size for every plane at once); a backend may override it to hold less.
     */
    default Tensor interpolateBilinearCropped(Tensor x, int midH, int midW, int cropH, int cropW, int outH, int outW) {
        Tensor mid = interpolateBilinear(x, midH, midW).narrow(2, 0, cropH).narrow(3, 0, cropW); // N x C x cropH x cropW
        return interpolateBilinear(mid, outH, outW);
    }

    /** Linear resize of (N, C, L) to (N, C, outL), align_corners=False (F.interpolate mode="linear"). */
    Tensor interpolateLinear(Tensor x, int outL);

    /** Releases what the backend holds (threads, device context). Tensors must not be used after. */
    @Override
    void close();

    /**
     * Whether ops may be called from several threads at once (the CPU backends: yes). A backend
     * that says no (the CUDA backend) is used by one thread at a time; a server serialises its
     * model calls for it.
     */
    default boolean concurrentUse() {
        return true;
    }
}
