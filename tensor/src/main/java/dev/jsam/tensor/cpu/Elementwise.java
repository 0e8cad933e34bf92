package dev.jsam.tensor.cpu;

import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.Layout;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
        float[] out = new float[Math.toIntExact(x.numel())];
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
        return be.wrap(out, x.shape());
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
     * a call is boxed: GELU ran at ~100 M values/s. Here each op's math sits alone in its loop.
     */
    private static void unaryRun(UnaryOp op, MemorySegment src, long a, float[] out, int o, int n) {
        switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i += L) {
                    load(src, a + i).neg().intoArray(out, o + i);
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i += L) {
                    load(src, a + i).abs().intoArray(out, o + i);
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i += L) {
                    load(src, a + i).sqrt().intoArray(out, o + i);
                }
            }
            case RELU -> {
                for (int i = 0; i < n; i += L) {
                    VecMath.relu(load(src, a + i)).intoArray(out, o + i);
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
            VecMath.exp(load(src, a + i)).intoArray(out, o + i);
        }
    }

    private static void sigmoidRun(MemorySegment src, long a, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) {
            VecMath.sigmoid(load(src, a + i)).intoArray(out, o + i);
        }
    }

    private static void geluRun(MemorySegment src, long a, float[] out, int o, int n) {
        for (int i = 0; i < n; i += L) {
            VecMath.gelu(load(src, a + i)).intoArray(out, o + i);
        }
    }

    private static FloatVector load(MemorySegment src, long a) {
        return FloatVector.fromMemorySegment(S, src, a * 4, LE);
    }

    static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
            case GT -> FloatVector.zero(S).blend(1f, a.compare(VectorOperators.GT, b));
        };
    }

    static Tensor binary(CpuBackend be, BinaryOp op, Tensor a, Tensor b) {
        CpuBackend.requireF32(a);
        CpuBackend.requireF32(b);
        int[] shape = Layout.broadcastShapes(a.shape(), b.shape());
        Layout la = a.expand(shape).layout(), lb = b.expand(shape).layout();
        float[] out = new float[Math.toIntExact(Layout.numel(shape))];
        MemorySegment sa = be.segment(a), sb = be.segment(b);
        Strided it = new Strided(shape, la, lb);
        long ia = it.innerStrideA(), ib = it.innerStrideB();
        it.parallel(be.parallel(), (o, x, y, len) -> {
            if (ia == 1 && ib == 1) {
                rowVV(op, sa, x, sb, y, out, (int) o, len);
            } else if (ia == 1 && ib == 0) {
                rowVS(op, sa, x, sb.get(HostData.F32, y * 4), false, out, (int) o, len);
            } else if (ia == 0 && ib == 1) {
                rowVS(op, sb, y, sa.get(HostData.F32, x * 4), true, out, (int) o, len);
            } else {
                for (int i = 0; i < len; i++) {
                    out[(int) o + i] = op.reference(sa.get(HostData.F32, (x + i * ia) * 4),
                            sb.get(HostData.F32, (y + i * ib) * 4));
                }
            }
        });
        return be.wrap(out, shape);
    }

    static Tensor binary(CpuBackend be, BinaryOp op, Tensor a, float s) {
        CpuBackend.requireF32(a);
        float[] out = new float[Math.toIntExact(a.numel())];
        MemorySegment sa = be.segment(a);
        Strided it = new Strided(a.shape(), a.layout(), null);
        long ia = it.innerStrideA();
        it.parallel(be.parallel(), (o, x, y, len) -> {
            if (ia == 1) {
                rowVS(op, sa, x, s, false, out, (int) o, len);
            } else {
                for (int i = 0; i < len; i++) {
                    out[(int) o + i] = op.reference(sa.get(HostData.F32, (x + i * ia) * 4), s);
                }
            }
        });
        return be.wrap(out, a.shape());
    }

    private static void rowVV(BinaryOp op, MemorySegment sa, long x, MemorySegment sb, long y, float[] out, int o, int len) {
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector va = FloatVector.fromMemorySegment(S, sa, (x + i) * 4, LE);
            FloatVector vb = FloatVector.fromMemorySegment(S, sb, (y + i) * 4, LE);
            apply(op, va, vb).intoArray(out, o + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector va = FloatVector.fromMemorySegment(S, sa, (x + i) * 4, LE, m);
            FloatVector vb = FloatVector.fromMemorySegment(S, sb, (y + i) * 4, LE, m);
            apply(op, va, vb).intoArray(out, o + i, m);
        }
    }

    /** A unit-stride row against one scalar s; scalarFirst computes s op row instead of row op s. */
    private static void rowVS(BinaryOp op, MemorySegment sa, long x, float s, boolean scalarFirst, float[] out, int o, int len) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int bound = S.loopBound(len); i < bound; i += L) {
            FloatVector va = FloatVector.fromMemorySegment(S, sa, (x + i) * 4, LE);
            (scalarFirst ? apply(op, vs, va) : apply(op, va, vs)).intoArray(out, o + i);
        }
        if (i < len) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector va = FloatVector.fromMemorySegment(S, sa, (x + i) * 4, LE, m);
            (scalarFirst ? apply(op, vs, va) : apply(op, va, vs)).intoArray(out, o + i, m);
        }
    }
}
