package dev.jsam.tensor.conformance;

import dev.jsam.tensor.Activation;
import dev.jsam.tensor.DepthwiseByTaps;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

/**
 * Conformance of matmul, linear (with fused bias and activation), the convolutions SAM uses
 * and fused attention with and without decomposed relative positions: sizes around the GEMM
 * micro-tile and block edges, transposed/permuted/broadcast operands, batch broadcasting.
 */
abstract class LinalgConformance extends ElementwiseConformance {
    static final int[][] MKN = {{1, 1, 1}, {7, 17, 33}, {33, 127, 7}, {6, 16, 16}, {65, 300, 47}, {130, 257, 70},
        {0, 5, 3}, {4, 0, 6}, {13, 9, 0}, {200, 600, 33}, {7, 5, 3100}};

    @Test
    void matmul() {
        for (int[] s : MKN) {
            for (Pair.Variant va : Pair.Variant.values()) {
                for (Pair.Variant vb : new Pair.Variant[] {Pair.Variant.CONTIGUOUS, Pair.Variant.TRANSPOSED, Pair.Variant.BROADCAST}) {
                    Pair a = input(va, 20, 1f, s[0], s[1]);
                    Pair b = input(vb, 21, 1f, s[1], s[2]);
                    check("matmul " + va + " x " + vb + " " + Arrays.toString(s), backend().matmul(a.got(), b.got()),
                            ref.matmul(a.want(), b.want()), Tolerance.gemm(s[1]));
                }
            }
        }
    }

    @Test
    void batchedMatmulBroadcastsBatchDims() {
        int[][][] cases = {
            {{3, 7, 17}, {3, 17, 9}}, {{2, 1, 5, 33}, {4, 33, 6}}, {{5, 9}, {2, 3, 9, 4}}, {{12, 50, 64}, {12, 64, 50}},
            {{1, 7, 8}, {6, 8, 1}},
        };
        for (int[][] c : cases) {
            for (Pair.Variant v : Pair.Variant.values()) {
                Pair a = input(v, 22, 1f, c[0]);
                Pair b = input(Pair.Variant.TRANSPOSED, 23, 1f, c[1]);
                check("batched matmul " + v + " " + Arrays.toString(c[0]) + " @ " + Arrays.toString(c[1]),
                        backend().matmul(a.got(), b.got()), ref.matmul(a.want(), b.want()),
                        Tolerance.gemm(c[0][c[0].length - 1]));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void linear(Activation act) {
        int[][] cases = {{7, 17, 33}, {1, 1, 1}, {130, 300, 70}, {2, 127, 19}, {0, 8, 5}, {64, 768, 96}};
        for (int[] c : cases) {
            for (Pair.Variant vx : Pair.Variant.values()) {
                for (boolean withBias : new boolean[] {true, false}) {
                    Pair x = input(vx, 30, 2f, 2, c[0], c[1]);
                    Pair w = input(Pair.Variant.TRANSPOSED, 31, 0.2f, c[2], c[1]);
                    Pair b = withBias ? random(32, 1f, c[2]) : new Pair(null, null);
                    Tolerance tol = act == Activation.GELU ? Tolerance.gemmGelu(c[1]) : Tolerance.gemm(c[1]);
                    check("linear " + act + " bias " + withBias + " " + vx + " " + Arrays.toString(c),
                            backend().linear(x.got(), w.got(), b.got(), act), ref.linear(x.want(), w.want(), b.want(), act), tol);
                }
            }
        }
    }

    @Test
    void conv2dShapesSamUses() {
        int[][] cases = { // n, cin, h, w, cout, kh, kw, stride, pad
            {1, 3, 32, 48, 8, 16, 16, 16, 0}, {1, 17, 5, 7, 9, 1, 1, 1, 0}, {2, 5, 9, 11, 6, 3, 3, 1, 1},
            {1, 4, 8, 8, 3, 2, 2, 2, 0}, {1, 3, 7, 9, 4, 3, 3, 2, 1}, {1, 64, 6, 6, 32, 3, 3, 1, 1},
        };
        for (int[] c : cases) {
            for (Pair.Variant v : new Pair.Variant[] {Pair.Variant.CONTIGUOUS, Pair.Variant.PERMUTED, Pair.Variant.NARROWED}) {
                for (boolean withBias : new boolean[] {true, false}) {
                    Pair x = input(v, 40, 1f, c[0], c[1], c[2], c[3]);
                    Pair w = random(41, 0.3f, c[4], c[1], c[5], c[6]);
                    Pair b = withBias ? random(42, 1f, c[4]) : new Pair(null, null);
                    check("conv2d " + v + " bias " + withBias + " " + Arrays.toString(c),
                            backend().conv2d(x.got(), w.got(), b.got(), c[7], c[7], c[8], c[8]),
                            ref.conv2d(x.want(), w.want(), b.want(), c[7], c[7], c[8], c[8]),
                            Tolerance.gemm(c[1] * c[5] * c[6]));
                }
            }
        }
    }

    /** n, c, h, w, kh, kw, stride, pad: TinyViT's 3x3 stride 1 and 2 with odd planes and tails, a 1x1, a 5x5. */
    static final int[][] DEPTHWISE = {
        {1, 3, 7, 9, 3, 3, 1, 1}, {2, 5, 9, 11, 3, 3, 2, 1}, {1, 4, 8, 8, 3, 3, 2, 1}, {1, 7, 13, 37, 3, 3, 1, 1},
        {1, 2, 6, 5, 1, 1, 1, 0}, {1, 3, 10, 19, 5, 5, 1, 2}, {1, 2, 3, 3, 3, 3, 1, 0}, {1, 6, 16, 16, 3, 3, 2, 0},
    };

    @Test
    void depthwiseConv2d() {
        for (int[] c : DEPTHWISE) {
            for (Pair.Variant v : new Pair.Variant[] {Pair.Variant.CONTIGUOUS, Pair.Variant.PERMUTED, Pair.Variant.NARROWED}) {
                for (boolean withBias : new boolean[] {true, false}) {
                    Pair x = input(v, 43, 1f, c[0], c[1], c[2], c[3]);
                    Pair w = random(44, 0.5f, c[1], 1, c[4], c[5]);
                    Pair b = withBias ? random(45, 1f, c[1]) : new Pair(null, null);
                    check("depthwiseConv2d " + v + " bias " + withBias + " " + Arrays.toString(c),
                            backend().depthwiseConv2d(x.got(), w.got(), b.got(), c[6], c[6], c[7], c[7]),
                            ref.depthwiseConv2d(x.want(), w.want(), b.want(), c[6], c[6], c[7], c[7]),
                            Tolerance.gemm(c[4] * c[5] + 1));
                }
            }
        }
    }

    /** The composed default (what a backend without a depthwise kernel runs) on this backend's ops. */
    @Test
    void depthwiseConv2dComposedOfTaps() {
        for (int[] c : DEPTHWISE) {
            Pair x = input(Pair.Variant.PERMUTED, 46, 1f, c[0], c[1], c[2], c[3]);
            Pair w = random(47, 0.5f, c[1], 1, c[4], c[5]);
            Pair b = random(48, 1f, c[1]);
            check("depthwiseConv2d by taps " + Arrays.toString(c),
                    DepthwiseByTaps.compute(backend(), x.got(), w.got(), b.got(), c[6], c[6], c[7], c[7]),
                    ref.depthwiseConv2d(x.want(), w.want(), b.want(), c[6], c[6], c[7], c[7]),
                    Tolerance.gemm(c[4] * c[5] + 1));
        }
    }

    @Test
    void depthwiseConv2dChecksItsArguments() {
        Tensor x = random(49, 1f, 1, 4, 6, 6).got();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> backend().depthwiseConv2d(x, random(50, 1f, 4, 2, 3, 3).got(), null, 1, 1, 1, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> backend().depthwiseConv2d(x, random(50, 1f, 4, 1, 3, 3).got(), random(51, 1f, 3).got(), 1, 1, 1, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> backend().depthwiseConv2d(x, random(50, 1f, 4, 1, 9, 9).got(), null, 1, 1, 1, 1));
    }

    @Test
    void convTranspose2d() {
        int[][] cases = {{1, 8, 5, 7, 4, 2, 2, 2}, {2, 3, 4, 4, 5, 2, 2, 2}, {1, 16, 3, 3, 7, 3, 3, 2}, {1, 32, 8, 8, 32, 2, 2, 2}};
        for (int[] c : cases) {
            for (Pair.Variant v : new Pair.Variant[] {Pair.Variant.CONTIGUOUS, Pair.Variant.PERMUTED}) {
                for (boolean withBias : new boolean[] {true, false}) {
                    Pair x = input(v, 50, 1f, c[0], c[1], c[2], c[3]);
                    Pair w = random(51, 0.3f, c[1], c[4], c[5], c[6]);
                    Pair b = withBias ? random(52, 1f, c[4]) : new Pair(null, null);
                    check("convTranspose2d " + v + " bias " + withBias + " " + Arrays.toString(c),
                            backend().convTranspose2d(x.got(), w.got(), b.got(), c[7], c[7]),
                            ref.convTranspose2d(x.want(), w.want(), b.want(), c[7], c[7]),
                            Tolerance.gemm(c[1] * c[5] * c[6]));
                }
            }
        }
    }

    @Test
    void attention() {
        int[][] cases = { // b, nq, d, kh, kw (kh = 0: no rel pos, nk = kw)
            {2, 7, 17, 0, 13}, {1, 1, 8, 0, 1}, {3, 15, 16, 3, 5}, {4, 49, 64, 7, 7}, {2, 5, 32, 0, 256},
            {1, 256, 32, 0, 7}, {1, 200, 64, 32, 32}, {2, 33, 24, 4, 9},
        };
        for (int[] c : cases) {
            int nk = c[3] == 0 ? c[4] : c[3] * c[4];
            for (Pair.Variant v : new Pair.Variant[] {Pair.Variant.CONTIGUOUS, Pair.Variant.NARROWED, Pair.Variant.PERMUTED}) {
                Pair q = input(v, 60, 1f, c[0], c[1], c[2]);
                Pair k = input(v, 61, 1f, c[0], nk, c[2]);
                Pair val = input(v, 62, 1f, c[0], nk, c[2]);
                Pair rh = c[3] == 0 ? new Pair(null, null) : random(63, 2f, c[0], c[1], c[3]);
                Pair rw = c[3] == 0 ? new Pair(null, null) : random(64, 2f, c[0], c[1], c[4]);
                float scale = (float) (1 / Math.sqrt(c[2]));
                check("attention " + v + " " + Arrays.toString(c),
                        backend().attention(q.got(), k.got(), val.got(), scale, rh.got(), rw.got()),
                        ref.attention(q.want(), k.want(), val.want(), scale, rh.want(), rw.want()),
                        Tolerance.attention(c[2], nk));
            }
        }
    }

    @Test
    void attentionWithLargeScoresStaysStable() {
        Pair q = random(65, 6f, 1, 9, 16);
        Pair k = random(66, 6f, 1, 300, 16);
        Pair v = random(67, 1f, 1, 300, 16);
        Tensor got = backend().attention(q.got(), k.got(), v.got(), 1f, null, null);
        check("attention large scores", got, ref.attention(q.want(), k.want(), v.want(), 1f, null, null),
                Tolerance.attention(16, 300));
    }
}
