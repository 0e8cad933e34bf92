package dev.jsam.sam.amg;

/**
 * Test stand-in for the model: the synthetic mask predictor described in testdata/golden/README.md
 * (low-res logits from a closed formula of the point, no image involved), followed by the reference
 * predictor's resizing of points (ResizeLongestSide to 1024) and of masks (bilinear, align_corners
 * False, to 1024 x 1024, cut to the input size, bilinear to the crop size) in float32. PyTorch's
 * exact float rounding (e.g. fused multiply-adds) is not promised, so masks may differ by a pixel.
 */
final class SyntheticPredictor implements CropPredictor {
    private static final int LOW_RES = 256;
    private static final int INPUT = 1024;
    private static final double[] RADII = {48, 112, 224};

    private int cropH;
    private int cropW;
    private int inputH;
    private int inputW;

    @Override
    public void setCrop(int[] cropBox) {
        cropW = cropBox[2] - cropBox[0];
        cropH = cropBox[3] - cropBox[1];
        double scale = INPUT * 1.0 / Math.max(cropH, cropW);
        inputH = (int) (cropH * scale + 0.5);
        inputW = (int) (cropW * scale + 0.5);
    }

    @Override
    public MaskPredictions predict(double[] pointsXY) {
        int n = pointsXY.length / 2;
        double[] px = new double[n];
        double[] py = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = pointsXY[2 * i] * ((double) inputW / cropW);
            py[i] = pointsXY[2 * i + 1] * ((double) inputH / cropH);
        }
        int h = cropH;
        int w = cropW;
        int ih = inputH;
        int iw = inputW;
        return new MaskPredictions() {
            @Override
            public int points() {
                return n;
            }

            @Override
            public int masksPerPoint() {
                return 3;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public int width() {
                return w;
            }

            @Override
            public float iou(int point, int k) {
                return (float) (0.75 + 0.05 * k + 0.2 * frac(0.031 * px[point] + 0.017 * py[point]));
            }

            @Override
            public void copyLogits(int point, int k, float[] dst) {
                float[] low = lowRes(px[point], py[point], k);
                float[] input = resize(low, LOW_RES, LOW_RES, INPUT, INPUT, ih, iw);
                float[] out = resize(input, ih, iw, h, w, h, w);
                System.arraycopy(out, 0, dst, 0, out.length);
            }
        };
    }

    private static double frac(double x) {
        return x - Math.floor(x);
    }

    private static float[] lowRes(double px, double py, int m) {
        double g = frac(0.0137 * px + 0.0071 * py);
        double r = RADII[m] * (0.75 + 0.5 * g);
        double s = 0.5 + 0.5 * m;
        float[] out = new float[LOW_RES * LOW_RES];
        for (int i = 0; i < LOW_RES; i++) {
            for (int j = 0; j < LOW_RES; j++) {
                double dx = (j + 0.5) * 4 - px;
                double dy = (i + 0.5) * 4 - py;
                double d = Math.sqrt(dx * dx + dy * dy);
                out[i * LOW_RES + j] = (float) ((r - d) / s + 3 * Math.cos(0.35 * d));
            }
        }
        return out;
    }

    /**
     * Bilinear resize (align_corners=False) of src (sh x sw) to dh x dw, computing only the top-left
     * keepH x keepW of the result. Rows are interpolated first, then blended, as torch's CPU kernel.
     */
    static float[] resize(float[] src, int sh, int sw, int dh, int dw, int keepH, int keepW) {
        int[] x0 = new int[keepW];
        int[] x1 = new int[keepW];
        float[] lx0 = new float[keepW];
        float[] lx1 = new float[keepW];
        weights(sw, dw, x0, x1, lx0, lx1);
        int[] y0 = new int[keepH];
        int[] y1 = new int[keepH];
        float[] ly0 = new float[keepH];
        float[] ly1 = new float[keepH];
        weights(sh, dh, y0, y1, ly0, ly1);
        float[] rows = new float[sh * keepW];
        boolean[] needed = new boolean[sh];
        for (int y = 0; y < keepH; y++) {
            needed[y0[y]] = true;
            needed[y1[y]] = true;
        }
        for (int r = 0; r < sh; r++) {
            if (needed[r]) {
                for (int x = 0; x < keepW; x++) {
                    rows[r * keepW + x] = src[r * sw + x0[x]] * lx0[x] + src[r * sw + x1[x]] * lx1[x];
                }
            }
        }
        float[] out = new float[keepH * keepW];
        for (int y = 0; y < keepH; y++) {
            for (int x = 0; x < keepW; x++) {
                out[y * keepW + x] = rows[y0[y] * keepW + x] * ly0[y] + rows[y1[y] * keepW + x] * ly1[y];
            }
        }
        return out;
    }

    private static void weights(int in, int out, int[] i0, int[] i1, float[] l0, float[] l1) {
        float scale = (float) in / out;
        for (int d = 0; d < i0.length; d++) {
            if (in == out) {
                i0[d] = d;
                i1[d] = d;
                l0[d] = 1f;
                l1[d] = 0f;
                continue;
            }
            float src = scale * (d + 0.5f) - 0.5f;
            if (src < 0f) {
                src = 0f;
            }
            i0[d] = (int) src;
            i1[d] = i0[d] + (i0[d] < in - 1 ? 1 : 0);
            l1[d] = Math.min(Math.max(src - i0[d], 0f), 1f);
            l0[d] = 1f - l1[d];
        }
    }
}
