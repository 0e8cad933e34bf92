package dev.jsam.sam.amg;

import java.util.Arrays;

/**
 * 8-connected component labelling of a binary mask with per-label statistics, standing in for
 * OpenCV's {@code connectedComponentsWithStats(mask, connectivity=8)}: label 0 is the background
 * (false pixels), components are 1..n-1, numbered by the first 2x2 block (in block raster order)
 * holding a pixel of theirs, which is how OpenCV's block-based 8-connectivity scan numbers them (not
 * checked against OpenCV itself; it only decides ties in {@link SmallRegions}' "largest island").
 * Works on runs of true pixels per row. An empty label's box (only the background's can be) is zeros.
 * A labelling is immutable once computed, so thread-safe.
 */
public final class ConnectedComponents {
    private final int width;
    private final int[] labels;
    private final int count;
    private final int[] areas;
    private final int[][] boxes;

    private ConnectedComponents(int width, int[] labels, int count, int[] areas, int[][] boxes) {
        this.width = width;
        this.labels = labels;
        this.count = count;
        this.areas = areas;
        this.boxes = boxes;
    }

    /** Labels the true pixels of {@code mask} by 8-connectivity. */
    public static ConnectedComponents label(BinaryMask mask) {
        int h = mask.height();
        int w = mask.width();
        Runs runs = Runs.of(mask.data(), h, w);
        int n = runs.size;
        int[] parent = new int[n];
        for (int r = 0; r < n; r++) {
            parent[r] = r;
        }
        for (int y = 1; y < h; y++) {
            int a = runs.rowFirst[y - 1];
            int b = runs.rowFirst[y];
            while (a < runs.rowFirst[y] && b < runs.rowFirst[y + 1]) {
                if (runs.start[a] <= runs.end[b] && runs.start[b] <= runs.end[a]) {
                    union(parent, a, b);
                }
                if (runs.end[a] < runs.end[b]) {
                    a++;
                } else {
                    b++;
                }
            }
        }
        long[] keyOfRoot = new long[n];
        Arrays.fill(keyOfRoot, Long.MAX_VALUE);
        int blocksPerRow = (w + 1) / 2;
        for (int r = 0; r < n; r++) {
            int root = find(parent, r);
            long block = (long) (runs.row[r] / 2) * blocksPerRow + runs.start[r] / 2;
            keyOfRoot[root] = Math.min(keyOfRoot[root], block);
        }
        long[] order = new long[n];
        int components = 0;
        for (int r = 0; r < n; r++) {
            if (parent[r] == r) {
                order[components++] = (keyOfRoot[r] << 31) | r;
            }
        }
        Arrays.sort(order, 0, components);
        int[] finalOfRoot = new int[n];
        for (int k = 0; k < components; k++) {
            finalOfRoot[(int) (order[k] & Integer.MAX_VALUE)] = k + 1;
        }
        int count = components + 1;
        int[] labels = new int[h * w];
        int[] areas = new int[count];
        int[][] boxes = new int[count][];
        int[] ext = new int[4 * count];
        Arrays.fill(ext, Integer.MAX_VALUE);
        for (int l = 0; l < count; l++) {
            ext[4 * l + 2] = -1;
            ext[4 * l + 3] = -1;
        }
        for (int r = 0; r < n; r++) {
            int l = finalOfRoot[find(parent, r)];
            int y = runs.row[r];
            Arrays.fill(labels, y * w + runs.start[r], y * w + runs.end[r], l);
            areas[l] += runs.end[r] - runs.start[r];
            extend(ext, l, runs.start[r], runs.end[r] - 1, y);
        }
        for (int y = 0; y < h; y++) {
            int first = runs.rowFirst[y];
            int last = runs.rowFirst[y + 1] - 1;
            int covered = 0;
            for (int r = first; r <= last; r++) {
                covered += runs.end[r] - runs.start[r];
            }
            if (covered == w) {
                continue;
            }
            areas[0] += w - covered;
            int left = last < first || runs.start[first] > 0 ? 0 : runs.end[first];
            int right = last < first || runs.end[last] < w ? w - 1 : runs.start[last] - 1;
            extend(ext, 0, left, right, y);
        }
        for (int l = 0; l < count; l++) {
            boxes[l] = areas[l] == 0 ? new int[4]
                    : new int[] {ext[4 * l], ext[4 * l + 1], ext[4 * l + 2] - ext[4 * l] + 1,
                        ext[4 * l + 3] - ext[4 * l + 1] + 1};
        }
        return new ConnectedComponents(w, labels, count, areas, boxes);
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

    /** Pixel count of a label (OpenCV's CC_STAT_AREA). */
    public int area(int label) {
        return areas[label];
    }

    /** {left, top, width, height} of a label (OpenCV's CC_STAT_LEFT .. CC_STAT_HEIGHT). */
    public int[] box(int label) {
        return boxes[label].clone();
    }

    private static void extend(int[] ext, int l, int x0, int x1, int y) {
        ext[4 * l] = Math.min(ext[4 * l], x0);
        ext[4 * l + 1] = Math.min(ext[4 * l + 1], y);
        ext[4 * l + 2] = Math.max(ext[4 * l + 2], x1);
        ext[4 * l + 3] = Math.max(ext[4 * l + 3], y);
    }

    private static int find(int[] parent, int i) {
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

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        int r = Math.min(ra, rb);
        parent[ra] = r;
        parent[rb] = r;
    }

    /** Maximal runs of true pixels, row by row: [start, end) in row {@code row}; row y's are rowFirst[y] .. rowFirst[y+1]-1. */
    private static final class Runs {
        int[] row = new int[64];
        int[] start = new int[64];
        int[] end = new int[64];
        int[] rowFirst;
        int size;

        static Runs of(boolean[] m, int h, int w) {
            Runs runs = new Runs();
            runs.rowFirst = new int[h + 1];
            for (int y = 0; y < h; y++) {
                runs.rowFirst[y] = runs.size;
                int base = y * w;
                int x = 0;
                while (x < w) {
                    while (x < w && !m[base + x]) {
                        x++;
                    }
                    if (x == w) {
                        break;
                    }
                    int s = x;
                    while (x < w && m[base + x]) {
                        x++;
                    }
                    runs.add(y, s, x);
                }
            }
            runs.rowFirst[h] = runs.size;
            return runs;
        }

        private void add(int y, int s, int e) {
            if (size == row.length) {
                row = Arrays.copyOf(row, 2 * size);
                start = Arrays.copyOf(start, 2 * size);
                end = Arrays.copyOf(end, 2 * size);
            }
            row[size] = y;
            start[size] = s;
            end[size] = e;
            size++;
        }
    }
}
