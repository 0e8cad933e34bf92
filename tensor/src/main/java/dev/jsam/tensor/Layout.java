package dev.jsam.tensor;

import java.util.Arrays;

/**
 * Shape, strides and offset of a tensor view, all in elements. Every view operation (reshape,
 * permute, transpose, narrow, expand, unsqueeze, squeeze) is arithmetic on this class and never
 * touches data. Immutable. Strides may be 0 (broadcast) but never negative.
 * Thread-safe, being immutable.
 */
public final class Layout {
    private final int[] shape;
    private final long[] strides;
    private final long offset;

    public Layout(int[] shape, long[] strides, long offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank");
        }
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.offset = offset;
    }

    /** A row-major contiguous layout of the given shape at offset 0. */
    public static Layout contiguous(int... shape) {
        return new Layout(shape, rowMajorStrides(shape), 0);
    }

    /** Row-major strides of a contiguous tensor of this shape (size-0 dims count as 1). */
    public static long[] rowMajorStrides(int[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(shape[i], 1);
        }
        return s;
    }

    public int rank() {
        return shape.length;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int d) {
        return shape[axis(d)];
    }

    public long[] strides() {
        return strides.clone();
    }

    public long stride(int d) {
        return strides[axis(d)];
    }

    public long offset() {
        return offset;
    }

    public long numel() {
        return numel(shape);
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Normalises a possibly negative axis (-1 = last) and checks it. */
    public int axis(int d) {
        int a = d < 0 ? d + shape.length : d;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("dim " + d + " out of range for shape " + Arrays.toString(shape));
        }
        return a;
    }

    /** True when elements are laid out row-major without gaps (size-1 dims may have any stride). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /** Offset in elements of the element at the given multi-index. */
    public long offsetOf(int... index) {
        long o = offset;
        for (int i = 0; i < index.length; i++) {
            o += (long) index[i] * strides[i];
        }
        return o;
    }

    public Layout permute(int... dims) {
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute " + Arrays.toString(dims) + " for shape " + Arrays.toString(shape));
        }
        int[] ns = new int[dims.length];
        long[] nst = new long[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int a = axis(dims[i]);
            if (seen[a]) {
                throw new IllegalArgumentException("permute repeats dim " + dims[i] + ": " + Arrays.toString(dims));
            }
            seen[a] = true;
            ns[i] = shape[a];
            nst[i] = strides[a];
        }
        return new Layout(ns, nst, offset);
    }

    public Layout transpose(int a, int b) {
        int[] perm = new int[shape.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int x = axis(a), y = axis(b);
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    /** Elements start..start+length-1 along dim, as torch.narrow. */
    public Layout narrow(int dim, int start, int length) {
        int d = axis(dim);
        if (start < 0 || length < 0 || start + length > shape[d]) {
            throw new IllegalArgumentException("narrow(dim=" + dim + ", start=" + start + ", length=" + length
                    + ") outside shape " + Arrays.toString(shape));
        }
        int[] ns = shape.clone();
        ns[d] = length;
        return new Layout(ns, strides, offset + (long) start * strides[d]);
    }

    /** Inserts a size-1 dim at position d (0..rank). */
    public Layout unsqueeze(int d) {
        int a = d < 0 ? d + shape.length + 1 : d;
        if (a < 0 || a > shape.length) {
            throw new IllegalArgumentException("unsqueeze dim " + d + " out of range for rank " + shape.length);
        }
        int[] ns = new int[shape.length + 1];
        long[] nst = new long[shape.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) {
            if (i == a) {
                ns[i] = 1;
                nst[i] = a < shape.length ? strides[a] * shape[a] : 1;
            } else {
                ns[i] = shape[j];
                nst[i] = strides[j];
                j++;
            }
        }
        return new Layout(ns, nst, offset);
    }

    /** Removes dim d, which must have size 1. */
    public Layout squeeze(int d) {
        int a = axis(d);
        if (shape[a] != 1) {
            throw new IllegalArgumentException("squeeze dim " + d + " has size " + shape[a] + " in " + Arrays.toString(shape));
        }
        int[] ns = new int[shape.length - 1];
        long[] nst = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != a) {
                ns[j] = shape[i];
                nst[j] = strides[i];
                j++;
            }
        }
        return new Layout(ns, nst, offset);
    }

    /** Broadcasts size-1 (or missing leading) dims to the target shape with stride 0, as torch.expand. */
    public Layout expand(int... target) {
        if (target.length < shape.length) {
            throw new IllegalArgumentException("cannot expand " + Arrays.toString(shape) + " to " + Arrays.toString(target));
        }
        int lead = target.length - shape.length;
        int[] ns = new int[target.length];
        long[] nst = new long[target.length];
        for (int i = 0; i < target.length; i++) {
            int src = i - lead;
            int want = target[i];
            if (src < 0) {
                ns[i] = want;
                nst[i] = 0;
            } else if (want == -1 || want == shape[src]) {
                ns[i] = shape[src];
                nst[i] = strides[src];
            } else if (shape[src] == 1) {
                ns[i] = want;
                nst[i] = 0;
            } else {
                throw new IllegalArgumentException("cannot expand " + Arrays.toString(shape) + " to " + Arrays.toString(target)
                        + ": dim " + src + " has size " + shape[src]);
            }
        }
        return new Layout(ns, nst, offset);
    }

    /** Resolves one -1 in a requested shape against numel and checks the total. */
    public int[] resolveShape(int... requested) {
        int[] out = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("more than one -1 in shape " + Arrays.toString(requested));
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(requested));
            } else {
                known *= out[i];
            }
        }
        long n = numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(requested));
            }
            out[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " (" + n + " elements) to "
                    + Arrays.toString(requested) + " (" + known + " elements)");
        }
        return out;
    }

    /**
     * The view of this layout with a new shape, or null when the elements cannot be addressed
     * with strides alone (then a copy is needed, as torch.reshape does). Groups of old dims that
     * are mutually contiguous may be split or merged freely.
     */
    public Layout viewAs(int[] newShape) {
        int[] target = resolveShape(newShape);
        if (numel() == 0) {
            return new Layout(target, rowMajorStrides(target), offset);
        }
        // Drop size-1 dims of the source: their strides do not matter.
        int n = 0;
        int[] os = new int[shape.length];
        long[] ost = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1) {
                os[n] = shape[i];
                ost[n] = strides[i];
                n++;
            }
        }
        long[] nst = new long[target.length];
        int oi = 0;
        int ti = 0;
        while (ti < target.length) {
            if (target[ti] == 1) {
                nst[ti] = 1;
                ti++;
                continue;
            }
            if (oi >= n) {
                return null;
            }
            // Take a chunk of old dims [oi, oe) that is contiguous within itself and whose product
            // matches a chunk of new dims [ti, te).
            long oldProd = os[oi];
            long newProd = target[ti];
            int oe = oi + 1;
            int te = ti + 1;
            while (oldProd != newProd) {
                if (oldProd < newProd) {
                    if (oe >= n || ost[oe - 1] != ost[oe] * os[oe]) {
                        return null;
                    }
                    oldProd *= os[oe];
                    oe++;
                } else {
                    while (te < target.length && target[te] == 1) {
                        te++;
                    }
                    if (te >= target.length) {
                        return null;
                    }
                    newProd *= target[te];
                    te++;
                }
            }
            for (int k = oi; k < oe - 1; k++) {
                if (ost[k] != ost[k + 1] * os[k + 1]) {
                    return null;
                }
            }
            long s = ost[oe - 1];
            for (int k = te - 1; k >= ti; k--) {
                nst[k] = s;
                s *= target[k];
            }
            oi = oe;
            ti = te;
        }
        return oi == n ? new Layout(target, nst, offset) : null;
    }

    /** The shape two operands broadcast to (numpy rules), or an error naming both. */
    public static int[] broadcastShapes(int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
            int db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && l.offset == offset && Arrays.equals(l.shape, shape) && Arrays.equals(l.strides, strides);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(strides) + Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return "Layout" + Arrays.toString(shape) + " strides=" + Arrays.toString(strides) + " offset=" + offset;
    }
}
