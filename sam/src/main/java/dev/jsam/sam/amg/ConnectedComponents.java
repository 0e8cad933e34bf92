package dev.jsam.sam.amg;

import java.util.Arrays;

/**
 * 8-connected component labelling of a binary mask with per-label statistics, standing in for
 * OpenCV's {@code connectedComponentsWithStats(mask, connectivity=8)}: label 0 is the background
 * (false pixels), components are 1..n-1, numbered by the first 2x2 block (in block raster order)
 * holding a pixel of theirs, which is how OpenCV's block-based 8-connectivity scan numbers them (not
 * checked against OpenCV itself; it only decides ties in {@link SmallRegions}' "largest island").
 * The bounding box of an empty label (only possible for the background) is reported as all zeros.
 */
public final class ConnectedComponents {
    private final int height;
    private final int width;
    private final int[] labels;
    private final int count;
    private final int[] areas;
    private final int[][] boxes;

    private ConnectedComponents(int height, int width, int[] labels, int count) {
        this.height = height;
        this.width = width;
        this.labels = labels;
        this.count = count;
        this.areas = new int[count];
        int[] left = fill(count, Integer.MAX_VALUE);
        int[] top = fill(count, Integer.MAX_VALUE);
        int[] right = fill(count, -1);
        int[] bottom = fill(count, -1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int l = labels[y * width + x];
                areas[l]++;
                left[l] = Math.min(left[l], x);
                right[l] = Math.max(right[l], x);
                top[l] = Math.min(top[l], y);
                bottom[l] = Math.max(bottom[l], y);
            }
        }
        this.boxes = new int[count][];
        for (int l = 0; l < count; l++) {
            boxes[l] = areas[l] == 0 ? new int[4]
                    : new int[] {left[l], top[l], right[l] - left[l] + 1, bottom[l] - top[l] + 1};
        }
    }

    /** Labels the true pixels of {@code mask} by 8-connectivity. */
    public static ConnectedComponents label(BinaryMask mask) {
        int h = mask.height();
        int w = mask.width();
        boolean[] m = mask.data();
        int[] provisional = new int[h * w];
        UnionFind uf = new UnionFind();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!m[i]) {
                    continue;
                }
                int l = 0;
                l = join(uf, l, x > 0 ? provisional[i - 1] : 0);
                if (y > 0) {
                    int up = i - w;
                    l = join(uf, l, x > 0 ? provisional[up - 1] : 0);
                    l = join(uf, l, provisional[up]);
                    l = join(uf, l, x + 1 < w ? provisional[up + 1] : 0);
                }
                provisional[i] = l != 0 ? l : uf.make();
            }
        }
        int[] finalOf = new int[uf.size()];
        int next = 1;
        int[] labels = new int[h * w];
        for (int by = 0; by < h; by += 2) {
            for (int bx = 0; bx < w; bx += 2) {
                for (int y = by; y < Math.min(by + 2, h); y++) {
                    for (int x = bx; x < Math.min(bx + 2, w); x++) {
                        int p = provisional[y * w + x];
                        if (p != 0) {
                            int r = uf.find(p);
                            if (finalOf[r] == 0) {
                                finalOf[r] = next++;
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < labels.length; i++) {
            int p = provisional[i];
            labels[i] = p == 0 ? 0 : finalOf[uf.find(p)];
        }
        return new ConnectedComponents(h, w, labels, next);
    }

    /** Number of labels, background included (OpenCV's n_labels). */
    public int count() {
        return count;
    }

    /** Label of every pixel, row-major (not a copy). */
    public int[] labels() {
        return labels;
    }

    public int label(int y, int x) {
        return labels[y * width + x];
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Pixel count of a label (OpenCV's CC_STAT_AREA). */
    public int area(int label) {
        return areas[label];
    }

    /** {left, top, width, height} of a label (OpenCV's CC_STAT_LEFT .. CC_STAT_HEIGHT). */
    public int[] box(int label) {
        return boxes[label].clone();
    }

    private static int join(UnionFind uf, int current, int neighbour) {
        if (neighbour == 0) {
            return current;
        }
        return current == 0 ? neighbour : uf.union(current, neighbour);
    }

    private static int[] fill(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    /** Union-find over provisional labels 1..; a class's root is its smallest label. */
    private static final class UnionFind {
        private int[] parent = new int[64];
        private int n = 1;

        int make() {
            if (n == parent.length) {
                parent = Arrays.copyOf(parent, 2 * n);
            }
            parent[n] = n;
            return n++;
        }

        int size() {
            return n;
        }

        int find(int i) {
            int r = i;
            while (parent[r] != r) {
                r = parent[r];
            }
            while (parent[i] != r) {
                int next = parent[i];
                parent[i] = r;
                i = next;
            }
            return r;
        }

        int union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            int r = Math.min(ra, rb);
            parent[ra] = r;
            parent[rb] = r;
            return r;
        }
    }
}
