package dev.jsam.sam.amg;

import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;

/**
 * Test stand-in for the model half of {@link SamCropPredictor}: the synthetic mask predictor of
 * testdata/golden/README.md, low-res logits (B, 3, 256, 256) and IoUs from a closed formula of each
 * point in the 1024 input frame, computed in double and cast to float as the reference's script does.
 * No image is consulted. Everything else (apply_coords, postprocess_masks, thresholds, stability,
 * boxes, RLE) is the library's own code, which is what the golden AMG files then check.
 */
final class SyntheticLowResModel implements LowResModel {
    private static final int LOW_RES = 256;
    private static final double[] RADII = {48, 112, 224};

    private final Backend backend;

    SyntheticLowResModel(Backend backend) {
        this.backend = backend;
    }

    @Override
    public void setImage(RgbImage crop) {
    }

    @Override
    public LowRes predict(double[] inputPointsXY) {
        int n = inputPointsXY.length / 2;
        int plane = LOW_RES * LOW_RES;
        float[] logits = new float[n * RADII.length * plane];
        float[] iou = new float[n * RADII.length];
        for (int p = 0; p < n; p++) {
            double px = inputPointsXY[2 * p];
            double py = inputPointsXY[2 * p + 1];
            for (int m = 0; m < RADII.length; m++) {
                fill(px, py, m, logits, (p * RADII.length + m) * plane);
                iou[p * RADII.length + m] = (float) (0.75 + 0.05 * m + 0.2 * frac(0.031 * px + 0.017 * py));
            }
        }
        return new LowRes(Tensor.of(backend, logits, n, RADII.length, LOW_RES, LOW_RES), iou);
    }

    private static double frac(double x) {
        return x - Math.floor(x);
    }

    /** logit[m, i, j] = (R_m - d) / s_m + 3 cos(0.35 d), d the distance of cell (i, j)'s centre to the point. */
    private static void fill(double px, double py, int m, float[] out, int offset) {
        double g = frac(0.0137 * px + 0.0071 * py);
        double r = RADII[m] * (0.75 + 0.5 * g);
        double s = 0.5 + 0.5 * m;
        for (int i = 0; i < LOW_RES; i++) {
            for (int j = 0; j < LOW_RES; j++) {
                double dx = (j + 0.5) * 4 - px;
                double dy = (i + 0.5) * 4 - py;
                double d = Math.sqrt(dx * dx + dy * dy);
                out[offset + i * LOW_RES + j] = (float) ((r - d) / s + 3 * Math.cos(0.35 * d));
            }
        }
    }
}
