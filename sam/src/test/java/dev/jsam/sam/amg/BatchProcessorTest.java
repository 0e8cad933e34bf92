package dev.jsam.sam.amg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-batch filters on hand-made logits: IoU, stability (incl. 0/0), crop edge, uncropping. */
class BatchProcessorTest {
    private static final int S = 50;
    private static final int[] CROP = {50, 0, 100, 50};

    /** A 50x50 logit plane: {@code inside} on the square [x0, x0+10] x [y0, y0+10], -5 elsewhere. */
    private static float[] square(int x0, int y0, float inside) {
        float[] plane = new float[S * S];
        Arrays.fill(plane, -5f);
        for (int y = y0; y <= y0 + 10; y++) {
            for (int x = x0; x <= x0 + 10; x++) {
                plane[y * S + x] = inside;
            }
        }
        return plane;
    }

    private static MaskPredictions predictions() {
        float[][] planes = {
            square(30, 0, 5f), // p0 m0: fine, but IoU 0.5
            square(30, 0, 5f), // p0 m1: kept
            square(30, 0, 0.5f), // p0 m2: nothing above +1: stability 0
            square(0, 20, 5f), // p1 m0: touches the crop's left edge, inside the image
            square(0, 0, -5f), // p1 m1: empty at both cut-offs: stability 0/0
            square(30, 0, 5f), // p1 m2: IoU exactly float(0.88), not above it
        };
        float[] logits = new float[6 * S * S];
        for (int i = 0; i < 6; i++) {
            System.arraycopy(planes[i], 0, logits, i * S * S, S * S);
        }
        float[] iou = {0.5f, 0.95f, 0.95f, 0.95f, 0.95f, (float) 0.88};
        return MaskPredictions.of(2, 3, S, S, logits, iou);
    }

    @Test
    void defaultFiltersKeepOnlyTheGoodMask() {
        double[] points = {35.5, 4.25, 5.0, 25.0};
        List<MaskRecord> out = BatchProcessor.process(predictions(), points, CROP, 100, 100, AmgParams.defaults());
        assertEquals(1, out.size());
        MaskRecord r = out.get(0);
        assertEquals(121, r.area());
        assertArrayEquals(new int[] {80, 0, 90, 10}, r.box());
        assertArrayEquals(new double[] {85.5, 4.25}, r.point());
        assertEquals(0.95f, r.predictedIou());
        assertEquals(1f, r.stabilityScore());
        assertArrayEquals(CROP, r.cropBox());
        BinaryMask crop = new BinaryMask(S, S, new boolean[S * S]);
        for (int y = 0; y <= 10; y++) {
            for (int x = 30; x <= 40; x++) {
                crop.data()[y * S + x] = true;
            }
        }
        assertEquals(Rle.fromMask(crop.uncrop(CROP, 100, 100)), r.rle());
    }

    @Test
    void zeroThresholdsSkipTheScoreFiltersButNotTheEdgeFilter() {
        double[] points = {35.5, 4.25, 5.0, 25.0};
        AmgParams params = AmgParams.defaults().withThresholds(0.0, 0.0);
        List<MaskRecord> out = BatchProcessor.process(predictions(), points, CROP, 100, 100, params);
        // p1 m0 touches the crop edge; so does p1 m1: empty, its [0,0,0,0] box lands on the crop's corner
        assertEquals(4, out.size());
        assertEquals(0.5f, out.get(0).predictedIou());
        assertEquals(0f, out.get(2).stabilityScore());
        assertEquals(121, out.get(2).area());
        assertEquals((float) 0.88, out.get(3).predictedIou());
        assertArrayEquals(new double[] {55.0, 25.0}, out.get(3).point());
    }

    @Test
    void emptyMaskOfTheWholeImageIsKeptWithNaNStability() {
        float[] logits = new float[S * S];
        Arrays.fill(logits, -5f);
        MaskPredictions p = MaskPredictions.of(1, 1, S, S, logits, new float[] {0.9f});
        AmgParams params = AmgParams.defaults().withThresholds(0.0, 0.0);
        List<MaskRecord> out = BatchProcessor.process(p, new double[] {1, 1}, new int[] {0, 0, S, S}, S, S, params);
        assertEquals(1, out.size());
        assertTrue(Float.isNaN(out.get(0).stabilityScore()));
        assertArrayEquals(new int[] {0, 0, 0, 0}, out.get(0).box());
        assertEquals(0, out.get(0).area());
    }

    /**
     * The cut-offs are the params' and strict: a logit exactly at mask_threshold lies outside the
     * mask, one a float ulp above it inside; stability_score_offset 0.25 (not the default 1.0) sets
     * the stability cut-offs, so ten logits of 0.5 count above +0.25 and twelve above -0.25.
     */
    @Test
    void maskThresholdAndStabilityOffsetAreTheParamsAndStrict() {
        float[] logits = new float[S * S];
        Arrays.fill(logits, -5f);
        Arrays.fill(logits, 0, 10, 0.5f);
        logits[10] = 0f;
        logits[11] = Math.nextUp(0f);
        AmgParams d = AmgParams.defaults();
        AmgParams params = new AmgParams(d.pointsPerSide(), d.pointsPerBatch(), 0.0, 0.0, 0.25, d.boxNmsThresh(),
                d.cropNLayers(), d.cropNmsThresh(), d.cropOverlapRatio(), d.cropNPointsDownscaleFactor(),
                d.minMaskRegionArea(), 0.0);
        MaskPredictions p = MaskPredictions.of(1, 1, S, S, logits, new float[] {0.9f});
        List<MaskRecord> out = BatchProcessor.process(p, new double[] {1, 1}, new int[] {0, 0, S, S}, S, S, params);
        assertEquals(1, out.size());
        assertEquals(11, out.get(0).area());
        assertArrayEquals(new int[] {0, 0, 11, 0}, out.get(0).box());
        assertEquals(10f / 12f, out.get(0).stabilityScore());
    }
}
