package dev.jsam.kernels.cuda;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.ReduceOp;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.UnaryOp;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every Backend op of CudaBackend on a {@link DryRunDevice} (no GPU): each must queue the
 * expected kernels with arguments that match their PTX signatures and launch limits, and
 * return the shape the CPU reference returns. Says nothing about values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CudaDryRunTest {
    private final DryRunDevice device = new DryRunDevice();
    private final CudaBackend be = new CudaBackend(device, GemmEngine.KERNEL, null);
    private final Backend ref = CpuBackend.reference();

    @AfterAll
    void close() {
        be.close();
        ref.close();
    }

    private Tensor on(Backend b, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (i % 7) - 3;
        }
        return Tensor.of(b, data, shape);
    }

    /** Runs op on both backends with inputs of the given shapes; checks shapes and the kernels queued. */
    private void check(String what, List<String> kernels, Function<Tensor[], Tensor> op, int[]... shapes) {
        Tensor[] g = new Tensor[shapes.length], w = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            g[i] = on(be, shapes[i]);
            w[i] = on(ref, shapes[i]);
        }
        device.launches.clear();
        Tensor got = op.apply(g);
        assertArrayEquals(op.apply(w).shape(), got.shape(), what + ": shape");
        assertEquals(kernels, device.launches, what + ": kernels");
    }

    @Test
    void elementwiseAndCopies() {
        check("contiguous of a permute", List.of("copy_b4"), t -> t[0].permute(0, 2, 1, 3).contiguous(), new int[] {2, 3, 4, 5});
        check("cast to F16", List.of("cast_any"), t -> t[0].transpose(0, 1).to(DType.F16), new int[] {3, 4});
        check("unary dense", List.of("unary_dense_f32"), t -> t[0].gelu(), new int[] {2, 8});
        check("unary strided", List.of("unary_f32"), t -> t[0].transpose(0, 1).apply(UnaryOp.EXP), new int[] {2, 8});
        check("binary broadcast", List.of("binary_f32"), t -> t[0].add(t[1]), new int[] {2, 3, 4}, new int[] {3, 1});
        check("binary dense", List.of("binary_dense_f32"), t -> t[0].mul(t[1]), new int[] {5, 6}, new int[] {5, 6});
        check("binary scalar", List.of("binary_scalar_f32"), t -> t[0].gt(0.5f), new int[] {5, 6});
        check("pad", List.of("fill_b4", "copy_b4"), t -> t[0].pad(new int[] {1, 2, 0, 3}, -1f), new int[] {2, 5, 7});
        check("concat", List.of("copy_b4", "copy_b4"), t -> Tensor.concat(List.of(t[0], t[1]), 1), new int[] {2, 5, 7},
                new int[] {2, 3, 7});
        check("repeatInterleave", List.of("copy_b4"), t -> t[0].repeatInterleave(3, 1), new int[] {2, 5, 7});
        check("indexSelect", List.of("cast_any", "cast_any", "index_select_b4"),
                t -> t[0].backend().indexSelect(t[0], 1, Tensor.of(t[0].backend(), new float[] {4, 0, 0, 2}, 4).to(DType.I32)),
                new int[] {2, 5, 7});
    }

    @Test
    void reductionsAndNorms() {
        for (ReduceOp op : ReduceOp.values()) {
            check("reduce " + op, List.of("reduce_f32"), t -> t[0].backend().reduce(op, t[0], 1, false), new int[] {2, 5, 7});
        }
        check("argmax", List.of("argmax_f32"), t -> t[0].argmax(-1, true), new int[] {2, 5, 7});
        check("softmax of a transpose", List.of("copy_b4", "softmax_f32"), t -> t[0].transpose(1, 2).softmax(),
                new int[] {2, 5, 7});
        check("layerNorm", List.of("layernorm_f32"), t -> t[0].backend().layerNorm(t[0], t[1], t[2], 1e-6f),
                new int[] {2, 9, 16}, new int[] {16}, new int[] {16});
        check("layerNorm2d", List.of("layernorm2d_f32"), t -> t[0].backend().layerNorm2d(t[0], t[1], t[2], 1e-6f),
                new int[] {1, 8, 6, 6}, new int[] {8}, new int[] {8});
        check("bilinear", List.of("bilinear_f32"), t -> t[0].backend().interpolateBilinear(t[0], 9, 11), new int[] {1, 2, 4, 5});
        check("linear resize", List.of("linear_resize_f32"), t -> t[0].backend().interpolateLinear(t[0], 9),
                new int[] {1, 2, 4});
    }

    @Test
    void linearAlgebra() {
        check("vit_b qkv linear (large tiles)", List.of("sgemm_128_f32"),
                t -> t[0].backend().linear(t[0], t[1], t[2], Activation.NONE), new int[] {4096, 768}, new int[] {2304, 768},
                new int[] {2304});
        check("batched matmul", List.of("sgemm_f32"), t -> t[0].matmul(t[1]), new int[] {2, 3, 4, 5}, new int[] {5, 6});
        check("matmul transposed", List.of("sgemm_f32"), t -> t[0].transpose(1, 2).matmul(t[1]), new int[] {12, 64, 50},
                new int[] {12, 64, 50});
        check("linear gelu", List.of("sgemm_f32"), t -> t[0].backend().linear(t[0], t[1], t[2], Activation.GELU),
                new int[] {2, 7, 16}, new int[] {8, 16}, new int[] {8});
        check("patch embed conv", List.of("im2col_f32", "sgemm_f32"),
                t -> t[0].backend().conv2d(t[0], t[1], t[2], 16, 16, 0, 0), new int[] {1, 3, 64, 64}, new int[] {8, 3, 16, 16},
                new int[] {8});
        check("1x1 conv", List.of("sgemm_f32"), t -> t[0].backend().conv2d(t[0], t[1], null, 1, 1, 0, 0),
                new int[] {1, 16, 8, 8}, new int[] {4, 16, 1, 1});
        check("3x3 conv", List.of("im2col_f32", "sgemm_f32"), t -> t[0].backend().conv2d(t[0], t[1], null, 1, 1, 1, 1),
                new int[] {1, 4, 8, 8}, new int[] {4, 4, 3, 3});
        check("conv transpose", List.of("sgemm_f32", "col2im_f32"),
                t -> t[0].backend().convTranspose2d(t[0], t[1], t[2], 2, 2), new int[] {1, 4, 8, 8}, new int[] {4, 2, 2, 2},
                new int[] {2});
        check("window attention", List.of("attention_tiled_f32"),
                t -> t[0].backend().attention(t[0], t[1], t[2], 0.125f, t[3], t[4]), new int[] {2, 49, 64},
                new int[] {2, 49, 64}, new int[] {2, 49, 64}, new int[] {2, 49, 7}, new int[] {2, 49, 7});
        check("attention d=128 without bias (77 KB of shared memory)", List.of("attention_tiled_f32"),
                t -> t[0].backend().attention(t[0], t[1], t[2], 0.1f, null, null), new int[] {1, 5, 128}, new int[] {1, 9, 128},
                new int[] {1, 9, 128});
        check("attention d=6 (row kernel)", List.of("attention_f32"),
                t -> t[0].backend().attention(t[0], t[1], t[2], 0.1f, t[3], t[4]), new int[] {1, 6, 6},
                new int[] {1, 6, 6}, new int[] {1, 6, 6}, new int[] {1, 6, 2}, new int[] {1, 6, 3});
        check("attention d=160 unfused", List.of("sgemm_f32", "binary_scalar_f32", "binary_f32", "binary_f32", "softmax_f32",
                "sgemm_f32"), t -> t[0].backend().attention(t[0], t[1], t[2], 0.1f, t[3], t[4]), new int[] {1, 4, 160},
                new int[] {1, 4, 160}, new int[] {1, 4, 160}, new int[] {1, 4, 2}, new int[] {1, 4, 2});
    }

    @Test
    void tensorCoreEnginesLaunchTheirKernel() {
        for (GemmEngine engine : new GemmEngine[] {GemmEngine.KERNEL_TF32, GemmEngine.KERNEL_3XTF32, GemmEngine.KERNEL_BF16}) {
            DryRunDevice d = new DryRunDevice();
            try (CudaBackend tc = new CudaBackend(d, engine, null)) {
                Tensor a = on(tc, 3, 70, 33), b = on(tc, 33, 9);
                d.launches.clear();
                assertArrayEquals(new int[] {3, 70, 9}, tc.matmul(a, b).shape());
                String kernel = GemmKernel.choose(engine, false).entryPoint();
                assertEquals(List.of(kernel), d.launches, engine.toString());
                Tensor x = on(tc, 4096, 768), w = on(tc, 2304, 768), bias = on(tc, 2304);
                d.launches.clear();
                assertArrayEquals(new int[] {4096, 2304}, tc.linear(x, w, bias, Activation.GELU).shape());
                assertEquals(List.of(kernel), d.launches, engine + " at the vit_b qkv shape");
            }
        }
        assertEquals(List.of("sgemm_tf32_f32", "sgemm_3xtf32_f32", "sgemm_bf16_f32", "sgemm_f32", "sgemm_128_f32"),
                List.of(GemmKernel.choose(GemmEngine.KERNEL_TF32, true).entryPoint(),
                        GemmKernel.choose(GemmEngine.KERNEL_3XTF32, false).entryPoint(),
                        GemmKernel.choose(GemmEngine.KERNEL_BF16, true).entryPoint(),
                        GemmKernel.choose(GemmEngine.CUBLAS, false).entryPoint(),
                        GemmKernel.choose(GemmEngine.KERNEL, true).entryPoint()));
    }

    @Test
    void padAndIndexSelectQueueWithoutWaitingAndTheNextReadBackChecksTheIndex() {
        Tensor x = on(be, 2, 5, 7);
        Tensor idx = Tensor.of(be, new float[] {4, 0, 0, 2}, 4).to(DType.I64);
        int before = device.waits;
        Tensor padded = x.pad(new int[] {1, 2, 0, 3}, 0f);
        Tensor picked = be.indexSelect(x, 1, idx);
        Tensor pickedAgain = be.indexSelect(padded, 1, idx);
        assertEquals(before, device.waits, "pad and indexSelect wait for nothing");
        picked.toFloatArray();
        assertEquals(before + 2, device.waits, "the read-back and, once, the fault words");
        pickedAgain.toFloatArray();
        assertEquals(before + 3, device.waits, "no fault words to read after the check");
        be.synchronize();
        assertEquals(before + 4, device.waits);
    }

    @Test
    void eightByteFillsWithUnequalHalvesStillUpload() {
        Tensor x = Tensor.of(be, new float[] {1, 2, 3}, 3).to(DType.I64);
        device.launches.clear();
        int before = device.waits;
        assertArrayEquals(new int[] {6}, x.pad(new int[] {1, 2}, 0f).shape());
        assertEquals(List.of("fill_b4", "copy_b8"), device.launches, "zero: equal halves, one 4-byte memset");
        assertEquals(before, device.waits);
        device.launches.clear();
        assertArrayEquals(new int[] {6}, x.pad(new int[] {1, 2}, 7f).shape());
        assertEquals(List.of("cast_any", "copy_b8", "copy_b8"), device.launches, "7L: halves 7 and 0, uploaded and broadcast");
        assertEquals(before + 1, device.waits);
    }

    @Test
    void hostTransfers() {
        Tensor t = on(be, 3, 4).transpose(0, 1);
        device.launches.clear();
        assertEquals(12, t.toFloatArray().length);
        assertEquals(List.of("copy_b4"), device.launches);
        Tensor z = be.zeros(DType.I64, 2, 3);
        assertEquals(6, z.toByteArray().length / 8);
    }
}
