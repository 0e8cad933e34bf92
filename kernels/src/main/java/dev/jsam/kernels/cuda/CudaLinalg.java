package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.ConvShape;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.MatmulShape;
import dev.jsam.tensor.Tensor;

import java.util.Arrays;

import static dev.jsam.kernels.cuda.CudaBackend.fence;
import static dev.jsam.kernels.cuda.CudaBackend.requireF32;

/**
 * Matmul, linear, convolutions and attention on the GPU. Every GEMM goes through {@link #gemm(GemmCall, int[])}:
 * cuBLAS if the backend has it and the strides suit it, else our kernel for the engine (sgemm_f32 or
 * sgemm_128_f32 by size; sgemm_tf32_f32, sgemm_3xtf32_f32 or sgemm_bf16_f32 on tensor cores),
 * strided and batched with bias and activation fused. Convolutions are im2col or
 * col2im around one batched GEMM; attention is attention_f32 up to head dim 128, unfused beyond.
 */
final class CudaLinalg implements AutoCloseable {
    private static final int ATT_QUERIES_PER_BLOCK = 16;
    private static final int ATT_KEY_TILE = 32;
    private static final int ATT_MAX_D = 128;
    private static final int LARGE_TILE = 128;
    private static final int TILED_QUERIES_PER_BLOCK = 64;
    private static final int TILED_P_STRIDE = 40;

    private final CudaBackend be;
    private final GemmEngine engine;
    private final CublasGemm cublas;

    CudaLinalg(CudaBackend be, GemmEngine engine, CublasGemm cublas) {
        this.be = be;
        this.engine = engine;
        this.cublas = cublas;
    }

    /**
     * Whether the 128 x 128-tile SGEMM gets at least one block per multiprocessor; smaller
     * problems keep the 64 x 64 tiles, which spread over more of the card. Both compute the same
     * bits (same k order per output).
     */
    private boolean fillsWithLargeTiles(GemmCall c) {
        long blocks = (long) ((c.n() + LARGE_TILE - 1) / LARGE_TILE) * ((c.m() + LARGE_TILE - 1) / LARGE_TILE) * c.batchCount();
        return blocks >= be.device().multiprocessors();
    }

    /** Runs the call into a new contiguous tensor of outShape (batch..., m, n). */
    Tensor gemm(GemmCall c, int[] outShape) {
        Tensor out = be.allocate(DType.F32, outShape);
        long batches = c.batchCount();
        if (out.numel() == 0) {
            return out;
        }
        if (batches > 65535) {
            throw new IllegalArgumentException("CUDA GEMM supports at most 65535 batches, got " + batches);
        }
        if (cublas != null && cublas.run(c, out)) {
            Tensor r = out;
            if (c.biasMode() != GemmCall.BIAS_NONE) {
                Tensor bias = c.biasMode() == GemmCall.BIAS_COL ? c.bias() : c.bias().unsqueeze(1);
                r = be.binary(BinaryOp.ADD, r, bias);
            }
            return c.act().op() == null ? r : be.unary(c.act().op(), r);
        }
        long[] batch = Geometry.of(c.batchShape(), c.aBatch(), c.bBatch());
        GemmKernel k = GemmKernel.choose(engine, fillsWithLargeTiles(c));
        be.device().launch(k.entryPoint(), (c.n() + k.tile() - 1) / k.tile(), (c.m() + k.tile() - 1) / k.tile(), (int) batches,
                k.threads(), 0,
                new KernelArgs().ptr(be.pointer(out))
                .ptr(be.pointer(c.a())).ptr(be.pointer(c.b())).ptr(c.bias() == null ? null : be.pointer(c.bias()))
                .struct(c.argsStruct()).struct(batch));
        return fence(out, c);
    }

    Tensor matmul(Tensor a, Tensor b) {
        requireF32(a);
        requireF32(b);
        MatmulShape ms = MatmulShape.of(a, b);
        int m = ms.m(), k = ms.k(), n = ms.n();
        int[] batch = ms.batch();
        Tensor ea = a.expand(ms.aShape()), eb = b.expand(ms.bShape());
        int r = batch.length;
        GemmCall call = new GemmCall(ea, ea.layout().stride(r), ea.layout().stride(r + 1), eb, eb.layout().stride(r),
                eb.layout().stride(r + 1), m, n, k, batch, Arrays.copyOf(ea.layout().strides(), r),
                Arrays.copyOf(eb.layout().strides(), r), null, GemmCall.BIAS_NONE, Activation.NONE);
        return gemm(call, ms.outShape());
    }

    Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation act) {
        requireF32(x);
        requireF32(weight);
        int k = x.dim(-1);
        if (weight.rank() != 2 || weight.dim(1) != k) {
            throw new IllegalArgumentException("linear: input " + x + " does not match weight " + weight);
        }
        int n = weight.dim(0);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != n)) {
            throw new IllegalArgumentException("linear: bias " + bias + " does not match weight " + weight);
        }
        int rows = Math.toIntExact(k == 0 ? 0 : x.numel() / k);
        Tensor x2 = x.reshape(rows, k);
        Tensor b = bias == null ? null : be.contiguous(bias);
        GemmCall call = new GemmCall(x2, x2.layout().stride(0), x2.layout().stride(1), weight, weight.layout().stride(1),
                weight.layout().stride(0), rows, n, k, new int[0], new long[0], new long[0], b,
                b == null ? GemmCall.BIAS_NONE : GemmCall.BIAS_COL, act);
        int[] shape = x.shape();
        shape[shape.length - 1] = n;
        return fence(gemm(call, new int[] {rows, n}).reshape(shape), x, weight, bias);
    }

    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw, int ph, int pw) {
        requireF32(x);
        requireF32(weight);
        ConvShape cs = ConvShape.conv2d(x, weight, sh, sw, ph, pw);
        int nb = cs.n(), cin = cs.cin(), h = cs.h(), w = cs.w(), cout = cs.cout(), kh = cs.kh(), kw = cs.kw();
        int oh = cs.oh(), ow = cs.ow();
        int kdim = cin * kh * kw, pixels = oh * ow;
        Tensor xc = be.contiguous(x);
        Tensor cols;
        if (kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0) {
            cols = xc;
        } else {
            cols = be.allocate(DType.F32, nb, kdim, pixels);
            be.device().launch("im2col_f32", be.device().gridFor(cols.numel(), 256), 1, 1, 256, 0,
                    new KernelArgs().ptr(be.pointer(cols)).ptr(be.pointer(xc)).i32(nb).i32(cin).i32(h).i32(w).i32(kh).i32(kw)
                            .i32(sh).i32(sw).i32(ph).i32(pw).i32(oh).i32(ow));
        }
        Tensor wc = be.contiguous(weight);
        Tensor b = bias == null ? null : be.contiguous(bias);
        GemmCall call = new GemmCall(wc, kdim, 1, cols, pixels, 1, cout, pixels, kdim, new int[] {nb}, new long[] {0},
                new long[] {(long) kdim * pixels}, b, b == null ? GemmCall.BIAS_NONE : GemmCall.BIAS_ROW, Activation.NONE);
        return fence(gemm(call, new int[] {nb, cout, pixels}).reshape(nb, cout, oh, ow), xc, cols, wc, b, x, weight, bias);
    }

    Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int sh, int sw) {
        requireF32(x);
        requireF32(weight);
        ConvShape cs = ConvShape.transposed(x, weight, sh, sw);
        int nb = cs.n(), cin = cs.cin(), h = cs.h(), w = cs.w(), cout = cs.cout(), kh = cs.kh(), kw = cs.kw();
        int oh = cs.oh(), ow = cs.ow();
        int rowsOut = cout * kh * kw, pixels = h * w;
        Tensor xc = be.contiguous(x), wc = be.contiguous(weight);
        GemmCall call = new GemmCall(wc, 1, rowsOut, xc, pixels, 1, rowsOut, pixels, cin, new int[] {nb}, new long[] {0},
                new long[] {(long) cin * pixels}, null, GemmCall.BIAS_NONE, Activation.NONE);
        Tensor cols = gemm(call, new int[] {nb, rowsOut, pixels});
        Tensor b = bias == null ? null : be.contiguous(bias);
        Tensor out = be.allocate(DType.F32, nb, cout, oh, ow);
        if (out.numel() > 0) {
            be.device().launch("col2im_f32", be.device().gridFor(out.numel(), 256), 1, 1, 256, 0,
                    new KernelArgs().ptr(be.pointer(out)).ptr(be.pointer(cols)).ptr(b == null ? null : be.pointer(b)).i32(nb)
                            .i32(cout).i32(h).i32(w).i32(kh).i32(kw).i32(sh).i32(sw).i32(oh).i32(ow));
        }
        return fence(out, xc, wc, cols, b, x, weight, bias);
    }

    /** Fused attention: the tiled kernel for head dims divisible by 4, the row kernel for other dims up to 128. */
    Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW) {
        return attention(q, k, v, scale, relH, relW, q.dim(2) % 4 == 0);
    }

    /**
     * Fused attention on the chosen kernel (the ladder times both); tiled needs d % 4 == 0 and
     * reads q, k, v as float4, so they are copied when their first element is not 16-byte aligned.
     */
    Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW, boolean tiled) {
        requireF32(q);
        requireF32(k);
        requireF32(v);
        if ((relH == null) != (relW == null)) {
            throw new IllegalArgumentException("attention: relH and relW come together");
        }
        int bsz = q.dim(0), nq = q.dim(1), d = q.dim(2), nk = k.dim(1);
        int kh = relH == null ? 0 : relH.dim(2), kw = relW == null ? 0 : relW.dim(2);
        if (relH != null && kh * kw != nk) {
            throw new IllegalArgumentException("attention: rel pos grid " + kh + "x" + kw + " != " + nk + " keys");
        }
        if (d > ATT_MAX_D) {
            return unfusedAttention(q, k, v, scale, relH, relW, kh, kw);
        }
        if (tiled && d % 4 != 0) {
            throw new IllegalArgumentException("attention_tiled_f32 needs a head dim divisible by 4, got " + d);
        }
        Tensor qc = tiled ? be.contiguousAligned(q) : be.contiguous(q);
        Tensor kc = tiled ? be.contiguousAligned(k) : be.contiguous(k);
        Tensor vc = tiled ? be.contiguousAligned(v) : be.contiguous(v);
        Tensor rh = relH == null ? null : be.contiguous(relH), rw = relW == null ? null : be.contiguous(relW);
        Tensor out = be.allocate(DType.F32, bsz, nq, d);
        if (out.numel() > 0) {
            int queries = tiled ? TILED_QUERIES_PER_BLOCK : ATT_QUERIES_PER_BLOCK;
            int shared = tiled
                    ? ((TILED_QUERIES_PER_BLOCK + 2 * ATT_KEY_TILE) * (d + 4) + TILED_QUERIES_PER_BLOCK * TILED_P_STRIDE) * Float.BYTES
                    : (ATT_QUERIES_PER_BLOCK + 2 * ATT_KEY_TILE) * (d + 1) * Float.BYTES;
            be.device().launch(tiled ? "attention_tiled_f32" : "attention_f32", (nq + queries - 1) / queries, bsz, 1, 128, shared,
                    new KernelArgs().ptr(be.pointer(out)).ptr(be.pointer(qc)).ptr(be.pointer(kc)).ptr(be.pointer(vc))
                            .ptr(rh == null ? null : be.pointer(rh)).ptr(rw == null ? null : be.pointer(rw)).i32(nq).i32(nk)
                            .i32(d).i32(Math.max(kh, 1)).i32(Math.max(kw, 1)).f32(scale));
        }
        return fence(out, qc, kc, vc, rh, rw, q, k, v, relH, relW);
    }

    /** Head dims above the fused kernel's 128: scores in global memory, still all on the GPU. */
    private Tensor unfusedAttention(Tensor q, Tensor k, Tensor v, float scale, Tensor relH, Tensor relW, int kh, int kw) {
        Tensor s = be.binary(BinaryOp.MUL, matmul(q, k.transpose(1, 2)), scale);
        if (relH != null) {
            int bsz = q.dim(0), nq = q.dim(1);
            Tensor grid = s.reshape(bsz, nq, kh, kw);
            grid = be.binary(BinaryOp.ADD, grid, relH.unsqueeze(3));
            grid = be.binary(BinaryOp.ADD, grid, relW.unsqueeze(2));
            s = grid.reshape(bsz, nq, kh * kw);
        }
        return matmul(be.softmax(s), v);
    }

    @Override
    public void close() {
        if (cublas != null) {
            cublas.close();
        }
    }
}
