package dev.jsam.tensor.cpu;

import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Vector API unary, binary (numpy broadcasting) and tensor-scalar ops. Operands are read in
 * place through their strides ({@link Strided} collapses the dims); the inner loops are
 * specialised for unit-stride and stride-0 (broadcast) rows, with a scalar loop for the rest.
 */
final class Elementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Elementwise() {
    }

    static Tensor unary(CpuBackend be, UnaryOp op, Tensor x) {
        CpuBackend.requireF32(x);
        float[] out = be.newFloats(Math.toIntExact(x.numel()));
        MemorySegment src = be.segment(x);
        Strided it = new Strided(x.shape(), x.layout(), null);
        it.parallel(be.parallel(), (o, a, b, len) -> {
            if (it.innerStrideA() == 1) {
                unaryRow(op, src, a, out, (int) o, len);
            } else {
                long s = it.innerStrideA();
                for (int i = 0; i < len; i++) {
                    out[(int) o + i] = op.reference(src.get(HostData.F32, (a + i * s) * 4));
                }
            }
        });
        return be.result(out, x.shape());
    }

    private static void unaryRow(UnaryOp op, MemorySegment src, long a, float[] out, int o, int len) {
        if (op == UnaryOp.SIN || op == UnaryOp.COS) {
            // The Vector API's SIN/COS differ between C2 (SVML) and the interpreter, so results would
            // depend on JIT state; they only serve positional encodings, so the scalar oracle does them.
            for (int k = 0; k < len; k++) {
                out[o + k] = op.reference(src.get(HostData.F32, (a + k) * 4));
            }
            return;
        }
        int bound = S.loopBound(len);
        unaryRun(op, src, a, out, o, bound);
        if (bound < len) {
            float[] tail = new float[2 * L];
            MemorySegment.copy(src, HostData.F32, (a + bound) * 4, tail, 0, len - bound);
            unaryRun(op, MemorySegment.ofArray(tail), 0, tail, L, L);
            System.arraycopy(tail, L, out, o + bound, len - bound);
        }
    }

    /**
     * out[o, o + n) = op(src[a, a + n)) for n a multiple of L, one loop per op. A single loop
     * switching on the op per vector let C2 compile exp and GELU as out-of-line calls whenever
     * several ops had run (its profile then calls no case hot), and every vector crossing such
     * a call is boxed: GELU ran at ~100 M values/s. Here each op's math sits alone in its loop,
     * and loads are the Vector API's own calls (always inlined): a load helper of ours was called
     * out of line from cases that were cold when C2 compiled this ("already compiled into a
     * medium method"), boxing every vector once the decoder made them hot.
     */
    private static void unaryRun(UnaryOp op, MemorySegment src, long a, float[] out, int o, int n) {
        switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i += L) {
                    FloatVector.fromMemorySegment(S, src, (a + i) * 4, LE).neg().intoArray(out, o + i);
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i += L) {
                    FloatVector.fromMemorySegment(S, src, (a + i) * 4, LE).abs().intoArray(out, o + i);
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i += L) {
                    FloatVector.fromMemorySegment(S, src, (a + i) * 4, LE).sqrt().intoArray(out, o + i);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i += L) {
                    VecMath.relu(FloatVector.fromMemorySegment(S, src, (a + i) * 4, LE)).intoArray(out, o + i);
                }
            }
            case EXP -> expRun(src, a, out, o, n);
            case SIGMOID -> sigmoidRun(src, a, out, o, n);
            case GELU -> geluRun(src, a, out, o, n);
            case SIN, COS -> throw new IllegalArgumentException(op + " runs through the scalar path");
        }
    }

    private static void expRun(MemorySegment src, long a, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) {
            VecMath.exp(FloatVector.fromMemorySegment(S, src, (a + i) * 4, LE)).intoArray(out, o + i);
        }
    }

    private static void sigmoidRun(MemorySegment src, long a, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) {
            VecMath.sigmoid(FloatVector.fromMemorySegment(S, src, (a + i) * 4, LE)).intoArray(out, o + i);
        }
    }

    private static void geluRun(MemorySegment src, long a, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) {
            VecMath.gelu(FloatVector.fromMemorySegment(S, src, (a + i) * 4, LE)).intoArray(out, o + i);
        }
    }

    static Tensor binary(CpuBackend be, BinaryOp op, Tensor a, Tensor b) {
        CpuBackend.requireF32(a);
        CpuBackend.requireF32(b);
        int[] shape = Layout.broadcastShapes(a.shape(), b.shape());
        Layout la = a.expand(shape).layout(), lb = b.expand(shape).layout();
        float[] out = be.newFloats(Math.toIntExact(Layout.numel(shape)));
        MemorySegment sa = be.segment(a), sb = be.segment(b);
        Strided it = new Strided(shape, la, lb);
        long ia = it.innerStrideA(), ib = it.innerStrideB();
        it.parallel(be.parallel(), (o, x, y, len) -> {
            if ((ia == 1 || ia == 0) && (ib == 1 || ib == 0)) {
                binaryRow(op, sa, x, ia == 1, sb, y, ib == 1, out, (int) o, len);
            } else {
                for (int i = 0; i < len; i++) {
                    out[(int) o + i] = op.reference(sa.get(HostData.F32, (x + i * ia) * 4),
                            sb.get(HostData.F32, (y + i * ib) * 4));
                }
            }
        });
        return be.result(out, shape);
    }

    static Tensor binary(CpuBackend be, BinaryOp op, Tensor a, float s) {
        CpuBackend.requireF32(a);
        float[] out = be.newFloats(Math.toIntExact(a.numel()));
        MemorySegment sa = be.segment(a);
        Strided it = new Strided(a.shape(), a.layout(), null);
        long ia = it.innerStrideA();
        MemorySegment scalar = MemorySegment.ofArray(new float[] {s});
        it.parallel(be.parallel(), (o, x, y, len) -> {
            if (ia == 1) {
                binaryRow(op, sa, x, true, scalar, 0, false, out, (int) o, len);
            } else {
                for (int i = 0; i < len; i++) {
                    out[(int) o + i] = op.reference(sa.get(HostData.F32, (x + i * ia) * 4), s);
                }
            }
        });
        return be.result(out, a.shape());
    }

    /**
     * out[o, o + len) = a op b over one run, where each operand is a unit-stride row (xRow / yRow)
     * or one value repeated (broadcast). Whole vectors go through {@link #binaryRun}; the tail is
     * copied into a padded vector, so it gets the same arithmetic without masked accesses.
     */
    private static void binaryRow(BinaryOp op, MemorySegment sa, long x, boolean xRow, MemorySegment sb, long y,
                                  boolean yRow, float[] out, int o, int len) {
        int bound = S.loopBound(len);
        float[] av = xRow ? null : lanes(sa.get(HostData.F32, x * 4));
        float[] bv = yRow ? null : lanes(sb.get(HostData.F32, y * 4));
        MemorySegment va = xRow ? sa : MemorySegment.ofArray(av), vb = yRow ? sb : MemorySegment.ofArray(bv);
        binaryRun(op, va, xRow ? x : 0, xRow ? L : 0, vb, yRow ? y : 0, yRow ? L : 0, out, o, bound);
        if (bound < len) {
            int n = len - bound;
            if (xRow) {
                av = new float[L];
                MemorySegment.copy(sa, HostData.F32, (x + bound) * 4, av, 0, n);
            }
            if (yRow) {
                bv = new float[L];
                MemorySegment.copy(sb, HostData.F32, (y + bound) * 4, bv, 0, n);
            }
            float[] tail = new float[L];
            binaryRun(op, MemorySegment.ofArray(av), 0, 0, MemorySegment.ofArray(bv), 0, 0, tail, 0, L);
            System.arraycopy(tail, 0, out, o + bound, n);
        }
    }

    private static float[] lanes(float v) {
        float[] a = new float[L];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /**
     * out[o, o + n) = a op b for n a multiple of L, reading a vector of a at element x, then
     * x + xs, ... (xs = L for a row, 0 for a repeated vector), and b likewise. One loop per op,
     * for the reason given at {@link #unaryRun}.
     */
    private static void binaryRun(BinaryOp op, MemorySegment sa, long x, int xs, MemorySegment sb, long y, int ys,
                                  float[] out, int o, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i += L, x += xs, y += ys) {
                    FloatVector va = FloatVector.fromMemorySegment(S, sa, x * 4, LE);
                    va.add(FloatVector.fromMemorySegment(S, sb, y * 4, LE)).intoArray(out, o + i);
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i += L, x += xs, y += ys) {
                    FloatVector va = FloatVector.fromMemorySegment(S, sa, x * 4, LE);
                    va.sub(FloatVector.fromMemorySegment(S, sb, y * 4, LE)).intoArray(out, o + i);
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i += L, x += xs, y += ys) {
                    FloatVector va = FloatVector.fromMemorySegment(S, sa, x * 4, LE);
                    va.mul(FloatVector.fromMemorySegment(S, sb, y * 4, LE)).intoArray(out, o + i);
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i += L, x += xs, y += ys) {
                    FloatVector va = FloatVector.fromMemorySegment(S, sa, x * 4, LE);
                    va.div(FloatVector.fromMemorySegment(S, sb, y * 4, LE)).intoArray(out, o + i);
                }
            }
            case MAX -> {
                for (int i = 0; i < n; i += L, x += xs, y += ys) {
                    FloatVector va = FloatVector.fromMemorySegment(S, sa, x * 4, LE);
                    va.max(FloatVector.fromMemorySegment(S, sb, y * 4, LE)).intoArray(out, o + i);
                }
            }
            case MIN -> {
                for (int i = 0; i < n; i += L, x += xs, y += ys) {
                    FloatVector va = FloatVector.fromMemorySegment(S, sa, x * 4, LE);
                    va.min(FloatVector.fromMemorySegment(S, sb, y * 4, LE)).intoArray(out, o + i);
                }
            }
            case GT -> {
                FloatVector zero = FloatVector.zero(S);
                for (int i = 0; i < n; i += L, x += xs, y += ys) {
                    FloatVector va = FloatVector.fromMemorySegment(S, sa, x * 4, LE);
                    zero.blend(1f, va.compare(VectorOperators.GT, FloatVector.fromMemorySegment(S, sb, y * 4, LE)))
                            .intoArray(out, o + i);
                }
            }
        }
    }
}
