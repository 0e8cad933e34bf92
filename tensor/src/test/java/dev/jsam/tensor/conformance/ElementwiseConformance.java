package dev.jsam.tensor.conformance;

import dev.jsam.tensor.BinaryOp;
import dev.jsam.tensor.ReduceOp;
import dev.jsam.tensor.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

/**
 * Conformance of elementwise ops, reductions, softmax and the layer norms: odd sizes that
 * leave SIMD tails, every view variant, broadcasts, size-1 and empty dims, special values.
 */
abstract class ElementwiseConformance extends ConformanceBase {
    static final int[][] SHAPES = {{0}, {1}, {7}, {17}, {33}, {3, 127}, {2, 5, 33}, {4, 1, 9}, {2, 0, 3}, {3, 1000}};

    static Tolerance unaryTolerance(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQRT, RELU -> Tolerance.EXACT;
            case EXP, SIGMOID -> Tolerance.TRANSCENDENTAL;
            case SIN, COS -> Tolerance.TRIG;
            case GELU -> Tolerance.GELU;
        };
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unary(UnaryOp op) {
        for (int[] shape : SHAPES) {
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair x = input(v, shape.length * 31L + v.ordinal(), 9f, shape);
                check(op + " " + v + " " + Arrays.toString(shape), backend().unary(op, x.got()),
                        ref.unary(op, x.want()), unaryTolerance(op));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unarySpecialValues(UnaryOp op) {
        float[] data = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f,
            100f, -100f, 88.5f, -87.5f, 20f, -20f, 5.5f, -5.5f, 3e-8f, 1e6f, -1e6f, 0.5f};
        Pair x = of(data, data.length);
        check(op + " special", backend().unary(op, x.got()), ref.unary(op, x.want()), unaryTolerance(op));
    }

    @Test
    void geluDenseSweep() {
        float[] data = new float[20001];
        for (int i = 0; i < data.length; i++) {
            data[i] = -10f + i * 1e-3f;
        }
        Pair x = of(data, data.length);
        check("gelu sweep", backend().unary(UnaryOp.GELU, x.got()), ref.unary(UnaryOp.GELU, x.want()), Tolerance.GELU);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryBroadcasts(BinaryOp op) {
        int[][][] cases = {
            {{7}, {7}}, {{1}, {0}}, {{3, 127}, {3, 127}}, {{4, 1, 33}, {5, 33}}, {{3, 17}, {3, 1}}, {{3, 17}, {17}},
            {{17}, {1}}, {{2, 3, 4, 9}, {3, 1, 9}}, {{1, 9}, {8, 1}}, {{5, 64, 64}, {5, 1, 1}},
        };
        for (int[][] c : cases) {
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair a = input(v, 1, 4f, c[0]);
                Pair b = input(Pair.Variant.CONTIGUOUS, 2, 4f, c[1]);
                String what = op + " " + v + " " + Arrays.toString(c[0]) + " " + Arrays.toString(c[1]);
                check(what, backend().binary(op, a.got(), b.got()), ref.binary(op, a.want(), b.want()), Tolerance.EXACT);
                check(what + " swapped", backend().binary(op, b.got(), a.got()), ref.binary(op, b.want(), a.want()),
                        Tolerance.EXACT);
            }
        }
        float[] special = {Float.NaN, 1f, Float.POSITIVE_INFINITY, -0f, 0f, -2f, 3f};
        Pair s = of(special, special.length);
        Pair t = of(new float[] {1f, Float.NaN, Float.POSITIVE_INFINITY, 0f, -0f, 0f, 3f}, special.length);
        check(op + " special", backend().binary(op, s.got(), t.got()), ref.binary(op, s.want(), t.want()), Tolerance.EXACT);
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryScalar(BinaryOp op) {
        for (int[] shape : SHAPES) {
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair a = input(v, 3, 4f, shape);
                for (float s : new float[] {0.5f, -3f, 0f}) {
                    check(op + " scalar " + s + " " + v + " " + Arrays.toString(shape), backend().binary(op, a.got(), s),
                            ref.binary(op, a.want(), s), Tolerance.EXACT);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reduce(ReduceOp op) {
        int[][] shapes = {{7}, {1}, {5, 33}, {3, 17, 9}, {2, 1, 130}, {4, 4096}, {64, 3}};
        for (int[] shape : shapes) {
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair x = input(v, 5, 3f, shape);
                for (int d = -shape.length; d < shape.length; d++) {
                    for (boolean keep : new boolean[] {false, true}) {
                        int n = shape[d < 0 ? d + shape.length : d];
                        Tolerance tol = op == ReduceOp.MAX ? Tolerance.EXACT : Tolerance.sum(n, 3);
                        check(op + " dim " + d + " keep " + keep + " " + v + " " + Arrays.toString(shape),
                                backend().reduce(op, x.got(), d, keep), ref.reduce(op, x.want(), d, keep), tol);
                    }
                }
            }
        }
    }

    @Test
    void argmax() {
        int[][] shapes = {{7}, {5, 33}, {3, 17, 9}, {2, 1, 130}};
        for (int[] shape : shapes) {
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair x = input(v, 6, 3f, shape);
                for (int d = 0; d < shape.length; d++) {
                    check("argmax dim " + d + " " + v + " " + Arrays.toString(shape), backend().argmax(x.got(), d, true),
                            ref.argmax(x.want(), d, true), Tolerance.EXACT);
                }
            }
        }
        // Ties (the first maximum wins) and NaN (the first NaN wins), along rows and along columns.
        float[] t = new float[4 * 11];
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 11; j++) {
                t[k * 11 + j] = switch (j % 3) {
                    case 0 -> 1f;
                    case 1 -> k == 2 || (j == 10 && k == 3) ? Float.NaN : k;
                    default -> k >= 1 ? 5f : 0f;
                };
            }
        }
        Pair ties = of(t, 4, 11);
        for (int d = 0; d < 2; d++) {
            check("argmax ties and NaN dim " + d, backend().argmax(ties.got(), d, true), ref.argmax(ties.want(), d, true),
                    Tolerance.EXACT);
        }
    }

    @Test
    void softmax() {
        int[][] shapes = {{1}, {7}, {3, 33}, {2, 4, 127}, {4, 4096}, {5, 1}, {0, 3}};
        for (int[] shape : shapes) {
            for (Pair.Variant v : Pair.Variant.values()) {
                for (float range : new float[] {1f, 40f}) {
                    Pair x = input(v, 7, range, shape);
                    check("softmax " + v + " range " + range + " " + Arrays.toString(shape), backend().softmax(x.got()),
                            ref.softmax(x.want()), Tolerance.softmax(shape[shape.length - 1]));
                }
            }
        }
        Pair inf = of(new float[] {Float.NEGATIVE_INFINITY, 0f, 1f, Float.NEGATIVE_INFINITY}, 1, 4);
        check("softmax -inf", backend().softmax(inf.got()), ref.softmax(inf.want()), Tolerance.softmax(4));
    }

    @Test
    void layerNorm() {
        int[][] shapes = {{7}, {3, 33}, {5, 768}, {2, 3, 17}, {1, 1}};
        for (int[] shape : shapes) {
            int c = shape[shape.length - 1];
            Pair w = random(8, 2f, c);
            Pair b = random(9, 1f, c);
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair x = input(v, 10, 5f, shape).map(t -> t.add(3f));
                check("layerNorm " + v + " " + Arrays.toString(shape), backend().layerNorm(x.got(), w.got(), b.got(), 1e-6f),
                        ref.layerNorm(x.want(), w.want(), b.want(), 1e-6f), Tolerance.norm(c));
            }
        }
    }

    @Test
    void layerNorm2d() {
        int[][] shapes = {{2, 7, 5, 3}, {1, 33, 4, 4}, {1, 256, 8, 8}, {1, 1, 2, 2}};
        for (int[] shape : shapes) {
            int c = shape[1];
            Pair w = random(11, 2f, c);
            Pair b = random(12, 1f, c);
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair x = input(v, 13, 5f, shape);
                check("layerNorm2d " + v + " " + Arrays.toString(shape),
                        backend().layerNorm2d(x.got(), w.got(), b.got(), 1e-6f),
                        ref.layerNorm2d(x.want(), w.want(), b.want(), 1e-6f), Tolerance.norm(c));
            }
        }
    }
}
