package dev.jsam.tensor.conformance;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.UnaryOp;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The backend conformance suite: every Backend op against {@link dev.jsam.tensor.cpu.CpuBackend#reference()}
 * under the bounds of {@link Tolerance}. Subclass it with createBackend() for each backend
 * (CPU at several thread counts here; CUDA later). This class adds the data-movement and
 * resampling cases to the elementwise and linear-algebra ones it inherits.
 */
public abstract class BackendConformanceTest extends LinalgConformance {

    @Test
    void contiguousOfEveryView() {
        int[][] shapes = {{7}, {3, 127}, {2, 5, 33}, {4, 1, 9}, {2, 3, 4, 5}, {0, 4}, {64, 64, 12}};
        for (int[] shape : shapes) {
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair x = input(v, 70, 5f, shape);
                check("contiguous " + v + " " + Arrays.toString(shape), backend().contiguous(x.got()),
                        ref.contiguous(x.want()), Tolerance.EXACT);
            }
        }
        Pair x = random(71, 1f, 2, 14, 14, 12, 64);
        Pair p = x.map(t -> t.permute(0, 3, 1, 2, 4));
        check("contiguous attention-style permute", backend().contiguous(p.got()), ref.contiguous(p.want()), Tolerance.EXACT);
    }

    @Test
    void unalignedHostMemoryInputs() {
        Pair x = random(77, 2f, 33, 70);
        Pair w = random(78, 0.3f, 19, 70);
        Tensor xu = unalignedCopy(x.want());
        Tensor wu = unalignedCopy(w.want());
        check("linear unaligned", backend().linear(xu, wu, null, Activation.GELU),
                ref.linear(x.want(), w.want(), null, Activation.GELU), Tolerance.gemmGelu(70));
        check("matmul unaligned", backend().matmul(xu, wu.transpose(0, 1)), ref.matmul(x.want(), w.want().transpose(0, 1)),
                Tolerance.gemm(70));
        check("add unaligned", backend().binary(BinaryOp.ADD, xu, xu.narrow(0, 0, 1)),
                ref.binary(BinaryOp.ADD, x.want(), x.want().narrow(0, 0, 1)), Tolerance.EXACT);
        check("exp unaligned", backend().unary(UnaryOp.EXP, xu), ref.unary(UnaryOp.EXP, x.want()), Tolerance.TRANSCENDENTAL);
        check("softmax unaligned", backend().softmax(xu), ref.softmax(x.want()), Tolerance.softmax(70));
        check("contiguous unaligned", backend().contiguous(xu.transpose(0, 1)), ref.contiguous(x.want().transpose(0, 1)),
                Tolerance.EXACT);
    }

    /** The tensor's values in little-endian host memory at an odd address, wrapped without a copy (as a mapped file). */
    private Tensor unalignedCopy(Tensor t) {
        float[] v = t.toFloatArray();
        MemorySegment seg = Arena.ofAuto().allocate(v.length * 4L + 1).asSlice(1);
        MemorySegment.copy(v, 0, seg, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, v.length);
        return backend().wrapHost(DType.F32, seg, t.shape());
    }

    @Test
    void castRoundTrips() {
        Pair x = random(72, 300f, 5, 33);
        for (DType to : new DType[] {DType.F16, DType.BF16, DType.I32, DType.I64, DType.F64, DType.U8}) {
            check("cast " + to, backend().cast(x.got(), to), ref.cast(x.want(), to), Tolerance.EXACT);
        }
        Pair t = x.map(a -> a.transpose(0, 1));
        check("cast transposed F16", backend().cast(t.got(), DType.F16), ref.cast(t.want(), DType.F16), Tolerance.EXACT);
    }

    @Test
    void padConcatRepeatIndex() {
        for (Pair.Variant v : Pair.Variant.values()) {
            Pair x = input(v, 73, 2f, 2, 5, 7);
            int[] pads = {1, 2, 0, 3};
            check("pad " + v, backend().pad(x.got(), pads, -1.5f), ref.pad(x.want(), pads, -1.5f), Tolerance.EXACT);
            Pair y = random(74, 2f, 2, 3, 7);
            check("concat " + v, backend().concat(List.of(x.got(), y.got()), 1), ref.concat(List.of(x.want(), y.want()), 1),
                    Tolerance.EXACT);
            check("repeatInterleave " + v, backend().repeatInterleave(x.got(), 3, 1), ref.repeatInterleave(x.want(), 3, 1),
                    Tolerance.EXACT);
            Pair idx = of(new float[] {4, 0, 0, 2}, 4).map(t -> t.to(DType.I64));
            check("indexSelect " + v, backend().indexSelect(x.got(), 1, idx.got()), ref.indexSelect(x.want(), 1, idx.want()),
                    Tolerance.EXACT);
            int[] pads3 = {0, 1, 2, 0, 1, 1};
            check("pad 3 dims " + v, backend().pad(x.got(), pads3, 0f), ref.pad(x.want(), pads3, 0f), Tolerance.EXACT);
            Pair one = idx.map(t -> t.narrow(0, 1, 1));
            for (int d = 0; d < 3; d++) {
                int dim = d;
                int[] shape = {2, 5, 7};
                shape[d] = 4;
                Pair z = random(75 + d, 2f, shape);
                check("concat of three dim " + d + " " + v, backend().concat(List.of(z.got(), x.got(), z.got()), d),
                        ref.concat(List.of(z.want(), x.want(), z.want()), d), Tolerance.EXACT);
                check("repeatInterleave dim " + d + " " + v, backend().repeatInterleave(x.got(), 2, d),
                        ref.repeatInterleave(x.want(), 2, d), Tolerance.EXACT);
                check("indexSelect dim " + d + " " + v, backend().indexSelect(x.got(), dim, one.got()),
                        ref.indexSelect(x.want(), dim, one.want()), Tolerance.EXACT);
            }
        }
    }

    @Test
    void interpolateBilinear() {
        int[][] cases = {{1, 3, 7, 9, 14, 18}, {2, 2, 16, 16, 5, 7}, {1, 1, 1, 1, 3, 3}, {1, 4, 64, 64, 256, 256},
            {1, 2, 33, 17, 33, 17}, {1, 3, 10, 12, 1, 1}};
        for (int[] c : cases) {
            for (Pair.Variant v : new Pair.Variant[] {Pair.Variant.CONTIGUOUS, Pair.Variant.NARROWED, Pair.Variant.PERMUTED}) {
                Pair x = input(v, 75, 3f, c[0], c[1], c[2], c[3]);
                Tensor got = backend().interpolateBilinear(x.got(), c[4], c[5]);
                check("bilinear " + v + " " + Arrays.toString(c), got, ref.interpolateBilinear(x.want(), c[4], c[5]),
                        Tolerance.RESAMPLE);
            }
        }
    }

    @Test
    void interpolateLinear() {
        int[][] cases = {{1, 3, 7, 15}, {2, 2, 16, 5}, {1, 1, 1, 4}, {1, 5, 33, 33}};
        for (int[] c : cases) {
            for (Pair.Variant v : new Pair.Variant[] {Pair.Variant.CONTIGUOUS, Pair.Variant.NARROWED}) {
                Pair x = input(v, 76, 3f, c[0], c[1], c[2]);
                check("linear resize " + v + " " + Arrays.toString(c), backend().interpolateLinear(x.got(), c[3]),
                        ref.interpolateLinear(x.want(), c[3]), Tolerance.RESAMPLE);
            }
        }
    }
}
