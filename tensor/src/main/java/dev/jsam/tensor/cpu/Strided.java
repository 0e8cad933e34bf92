package dev.jsam.tensor.cpu;

import dev.jsam.tensor.Layout;

/**
 * Iteration over the elements of a shape, row-major, with one or two strided operands and a
 * contiguous output. Size-1 dims are dropped and adjacent dims merged wherever every operand
 * allows, so a broadcast or a view usually becomes a few long rows with inner strides 1 or 0.
 * A flat element range [from, to) is handed to the body as row segments, which is how the
 * elementwise kernels split work across threads.
 */
final class Strided {
    /** Receives a run of len elements: output index out, operand element offsets a and b. */
    @FunctionalInterface
    interface Segment {
        void run(long out, long a, long b, int len);
    }

    final int[] shape;
    final long[] sa;
    final long[] sb;
    final long offA;
    final long offB;
    final long numel;

    /** Operands a and b (b may be null) viewed with the given shape; their layouts must have that shape. */
    Strided(int[] outShape, Layout a, Layout b) {
        int r = outShape.length;
        long[] as = a.strides();
        long[] bs = b == null ? new long[r] : b.strides();
        int[] sh = new int[r];
        long[] na = new long[r];
        long[] nb = new long[r];
        int n = 0;
        for (int d = 0; d < r; d++) {
            if (outShape[d] == 1) {
                continue;
            }
            if (n > 0 && na[n - 1] == as[d] * outShape[d] && nb[n - 1] == bs[d] * outShape[d]) {
                sh[n - 1] *= outShape[d];
                na[n - 1] = as[d];
                nb[n - 1] = bs[d];
            } else {
                sh[n] = outShape[d];
                na[n] = as[d];
                nb[n] = bs[d];
                n++;
            }
        }
        if (n == 0) {
            sh[0] = 1;
            n = 1;
        }
        shape = java.util.Arrays.copyOf(sh, n);
        sa = java.util.Arrays.copyOf(na, n);
        sb = java.util.Arrays.copyOf(nb, n);
        offA = a.offset();
        offB = b == null ? 0 : b.offset();
        numel = Layout.numel(outShape);
    }

    long innerStrideA() {
        return sa[sa.length - 1];
    }

    long innerStrideB() {
        return sb[sb.length - 1];
    }

    /** Calls body for the row segments covering flat output elements [from, to). */
    void forEach(long from, long to, Segment body) {
        int r = shape.length;
        int inner = shape[r - 1];
        int[] idx = new int[r];
        long rest = from;
        long a = offA, b = offB;
        for (int d = r - 1; d >= 0; d--) {
            idx[d] = (int) (rest % shape[d]);
            rest /= shape[d];
            a += idx[d] * sa[d];
            b += idx[d] * sb[d];
        }
        long pos = from;
        while (pos < to) {
            int len = (int) Math.min(inner - idx[r - 1], to - pos);
            body.run(pos, a, b, len);
            pos += len;
            a += len * sa[r - 1];
            b += len * sb[r - 1];
            idx[r - 1] += len;
            if (idx[r - 1] < inner) {
                continue;
            }
            a -= inner * sa[r - 1];
            b -= inner * sb[r - 1];
            idx[r - 1] = 0;
            for (int d = r - 2; d >= 0; d--) {
                idx[d]++;
                a += sa[d];
                b += sb[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                a -= sa[d] * shape[d];
                b -= sb[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /** Runs body over all elements, split into flat chunks across par's threads. */
    void parallel(Parallel par, Segment body) {
        int grain = 1 << 14;
        int chunks = (int) Math.min(Integer.MAX_VALUE, (numel + grain - 1) / grain);
        par.forRange(chunks, 1, (c0, c1) -> forEach(c0 * (long) grain, Math.min(numel, c1 * (long) grain), body));
    }
}
