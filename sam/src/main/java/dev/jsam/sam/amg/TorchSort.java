package dev.jsam.sam.amg;

import java.util.Arrays;

/**
 * The two descending sorts of float32 scores behind the reference's NMS, tie for tie. Torchvision's
 * nms kernel sorts stably ({@link #stableArgsortDescending}); PyTorch 1.13's CPU
 * {@code Tensor.sort(descending=True)}, used by batched_nms above 1000 boxes, is libstdc++'s unstable
 * {@code std::sort} (introsort: median-of-three quicksort down to runs of 16, heapsort past a depth
 * of 2 floor(log2 n), insertion sort) on (value, index) pairs ({@link #argsortDescending}).
 * Both order NaN first. The golden outputs of both AMG runs are reproduced with exactly this pair.
 * Stateless static methods: thread-safe.
 */
public final class TorchSort {
    private static final int THRESHOLD = 16;

    private final float[] v;
    private final int[] ix;

    private TorchSort(float[] values) {
        this.v = values.clone();
        this.ix = new int[values.length];
        for (int i = 0; i < ix.length; i++) {
            ix[i] = i;
        }
    }

    /** Indices of {@code values} sorted by descending value (NaN first), ties by ascending index. */
    public static int[] stableArgsortDescending(float[] values) {
        long[] keys = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            keys[i] = ((long) rank(values[i]) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /**
     * A signed int that orders descending floats ascending: NaN lowest, then +inf .. -inf, with
     * -0.0 and 0.0 equal as the float comparison has them.
     */
    private static int rank(float v) {
        if (Float.isNaN(v)) {
            return Integer.MIN_VALUE;
        }
        int bits = Float.floatToIntBits(v == 0f ? 0f : v);
        int ascending = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return -ascending;
    }

    /** Indices of {@code values} in the order torch's unstable descending sort gives them. */
    public static int[] argsortDescending(float[] values) {
        TorchSort s = new TorchSort(values);
        int n = values.length;
        if (n > 1) {
            s.introsortLoop(0, n, 2 * (31 - Integer.numberOfLeadingZeros(n)));
            s.finalInsertionSort(0, n);
        }
        return s.ix;
    }

    /** comp(a, b): a goes before b (a is NaN and b not, or a > b). */
    private static boolean before(float a, float b) {
        return (Float.isNaN(a) && !Float.isNaN(b)) || a > b;
    }

    private boolean before(int i, int j) {
        return before(v[i], v[j]);
    }

    private void swap(int i, int j) {
        float tv = v[i];
        v[i] = v[j];
        v[j] = tv;
        int ti = ix[i];
        ix[i] = ix[j];
        ix[j] = ti;
    }

    private void introsortLoop(int first, int last, int depthLimit) {
        while (last - first > THRESHOLD) {
            if (depthLimit == 0) {
                heapSort(first, last);
                return;
            }
            depthLimit--;
            int cut = partitionPivot(first, last);
            introsortLoop(cut, last, depthLimit);
            last = cut;
        }
    }

    private int partitionPivot(int first, int last) {
        int mid = first + (last - first) / 2;
        moveMedianToFirst(first, first + 1, mid, last - 1);
        return unguardedPartition(first + 1, last, first);
    }

    private void moveMedianToFirst(int result, int a, int b, int c) {
        if (before(a, b)) {
            if (before(b, c)) {
                swap(result, b);
            } else if (before(a, c)) {
                swap(result, c);
            } else {
                swap(result, a);
            }
        } else if (before(a, c)) {
            swap(result, a);
        } else if (before(b, c)) {
            swap(result, c);
        } else {
            swap(result, b);
        }
    }

    private int unguardedPartition(int first, int last, int pivot) {
        while (true) {
            while (before(first, pivot)) {
                first++;
            }
            last--;
            while (before(pivot, last)) {
                last--;
            }
            if (first >= last) {
                return first;
            }
            swap(first, last);
            first++;
        }
    }

    private void finalInsertionSort(int first, int last) {
        if (last - first > THRESHOLD) {
            insertionSort(first, first + THRESHOLD);
            for (int i = first + THRESHOLD; i < last; i++) {
                unguardedLinearInsert(i);
            }
        } else {
            insertionSort(first, last);
        }
    }

    private void insertionSort(int first, int last) {
        for (int i = first + 1; i < last; i++) {
            if (before(i, first)) {
                float tv = v[i];
                int ti = ix[i];
                System.arraycopy(v, first, v, first + 1, i - first);
                System.arraycopy(ix, first, ix, first + 1, i - first);
                v[first] = tv;
                ix[first] = ti;
            } else {
                unguardedLinearInsert(i);
            }
        }
    }

    private void unguardedLinearInsert(int last) {
        float tv = v[last];
        int ti = ix[last];
        int next = last - 1;
        while (before(tv, v[next])) {
            v[last] = v[next];
            ix[last] = ix[next];
            last = next;
            next--;
        }
        v[last] = tv;
        ix[last] = ti;
    }

    private void heapSort(int first, int last) {
        int len = last - first;
        if (len >= 2) {
            for (int parent = (len - 2) / 2; ; parent--) {
                adjustHeap(first, parent, len, v[first + parent], ix[first + parent]);
                if (parent == 0) {
                    break;
                }
            }
        }
        while (last - first > 1) {
            last--;
            float tv = v[last];
            int ti = ix[last];
            v[last] = v[first];
            ix[last] = ix[first];
            adjustHeap(first, 0, last - first, tv, ti);
        }
    }

    private void adjustHeap(int first, int hole, int len, float value, int index) {
        int top = hole;
        int child = hole;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (before(first + child, first + child - 1)) {
                child--;
            }
            v[first + hole] = v[first + child];
            ix[first + hole] = ix[first + child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            v[first + hole] = v[first + child - 1];
            ix[first + hole] = ix[first + child - 1];
            hole = child - 1;
        }
        int parent = (hole - 1) / 2;
        while (hole > top && before(v[first + parent], value)) {
            v[first + hole] = v[first + parent];
            ix[first + hole] = ix[first + parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        v[first + hole] = value;
        ix[first + hole] = index;
    }
}
