package dev.jsam.sam.amg;

/**
 * The point prompts of automatic mask generation: {@code build_point_grid} (n x n points evenly
 * spaced in [0,1]^2, computed as numpy's linspace does), one grid per crop layer, and scaling /
 * shifting points between frames. Points are flat {x0, y0, x1, y1, ...} double arrays.
 * Stateless static methods: thread-safe.
 */
public final class PointGrids {
    private PointGrids() {
    }

    /**
     * n x n points, x varying fastest: coordinates {@code offset + i * step} for {@code i < n - 1} and exactly
     * 1 - offset for the last, offset = 1 / (2n), step = (1 - 2 offset) / (n - 1), as numpy.linspace.
     */
    public static double[] buildPointGrid(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("points per side must be positive, got " + n);
        }
        double offset = 1.0 / (2 * n);
        double[] side = linspace(offset, 1 - offset, n);
        double[] points = new double[2 * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                points[2 * (i * n + j)] = side[j];
                points[2 * (i * n + j) + 1] = side[i];
            }
        }
        return points;
    }

    /** One grid per layer 0..nLayers, layer i with (int) (nPerSide / scalePerLayer^i) points per side. */
    public static double[][] buildAllLayerPointGrids(int nPerSide, int nLayers, int scalePerLayer) {
        double[][] grids = new double[nLayers + 1][];
        for (int i = 0; i <= nLayers; i++) {
            grids[i] = buildPointGrid((int) (nPerSide / Math.pow(scalePerLayer, i)));
        }
        return grids;
    }

    /** Grid points in [0,1]^2 times the crop's width (x) and height (y): crop pixel coordinates. */
    public static double[] scaleToCrop(double[] grid, int cropH, int cropW) {
        double[] out = new double[grid.length];
        for (int i = 0; i < grid.length; i += 2) {
            out[i] = grid[i] * cropW;
            out[i + 1] = grid[i + 1] * cropH;
        }
        return out;
    }

    /** Shifts crop-frame points by the crop's top-left corner ({@code uncrop_points}). */
    public static double[] uncrop(double[] points, int[] cropBox) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i += 2) {
            out[i] = points[i] + cropBox[0];
            out[i + 1] = points[i + 1] + cropBox[1];
        }
        return out;
    }

    private static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            y[i] = i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }
}
