package dev.jsam.sam.amg;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Explicit point grids reach the predictor scaled to each crop, malformed grids are refused in one
 * line, and an interrupt stops the generator before its next crop or batch, returning nothing and
 * leaving the interrupt status set. A recording predictor stands in for the model.
 */
class AmgGridsAndCancellationTest {
    private static final AmgParams PARAMS = AmgParams.defaults().withPointsPerBatch(2);

    /** Records the crops and points it is asked about; answers with no masks. */
    private static final class Recorder implements CropPredictor {
        final List<int[]> crops = new ArrayList<>();
        final List<double[]> batches = new ArrayList<>();
        Runnable afterPredict = () -> { };
        int h;
        int w;

        @Override
        public void setCrop(int[] cropBox) {
            crops.add(cropBox.clone());
            w = cropBox[2] - cropBox[0];
            h = cropBox[3] - cropBox[1];
        }

        @Override
        public MaskPredictions predict(double[] pointsXY) {
            batches.add(pointsXY.clone());
            afterPredict.run();
            return MaskPredictions.of(pointsXY.length / 2, 0, h, w, new float[0], new float[0]);
        }
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void explicitGridsArePromptedScaledToEachCrop() {
        double[] layer0 = {0.5, 0.5, 0.0, 1.0, 0.25, 0.75};
        double[] layer1 = {0.5, 0.5};
        Recorder r = new Recorder();
        new AutomaticMaskGenerator(PARAMS.withCrops(1, 1), new double[][] {layer0, layer1}).generate(40, 100, r);
        assertEquals(5, r.crops.size(), "the image and 2 x 2 crops");
        assertArrayEquals(new double[] {50, 20, 0, 40}, r.batches.get(0));
        assertArrayEquals(new double[] {25, 30}, r.batches.get(1));
        int[] crop = r.crops.get(1);
        assertArrayEquals(new double[] {(crop[2] - crop[0]) / 2.0, (crop[3] - crop[1]) / 2.0}, r.batches.get(2));
        assertEquals(2 + 4, r.batches.size(), "two batches on the image, one per crop");
    }

    @Test
    void malformedGridsAreRefused() {
        assertRefused(new double[][] {{0.5, 0.5}, {0.5, 0.5}}, PARAMS, "2 point grid(s) for 1 crop layer(s)");
        assertRefused(new double[][] {{0.5}}, PARAMS, "point grid 0 holds 1 numbers");
        assertRefused(new double[][] {{}}, PARAMS, "point grid 0 holds 0 numbers");
        assertRefused(new double[][] {{0.5, 0.5}, {0.2, 1.5}}, PARAMS.withCrops(1, 1), "point grid 1, point 0: 1.5");
        assertRefused(new double[][] {{Double.NaN, 0.5}}, PARAMS, "NaN is outside [0, 1]");
    }

    private static void assertRefused(double[][] grids, AmgParams params, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AutomaticMaskGenerator(params, grids));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void anInterruptStopsBeforeTheNextBatch() {
        Recorder r = new Recorder();
        r.afterPredict = () -> Thread.currentThread().interrupt();
        AutomaticMaskGenerator g = new AutomaticMaskGenerator(PARAMS.withPointsPerSide(3));
        CancellationException e = assertThrows(CancellationException.class, () -> g.generate(30, 30, r));
        assertEquals(1, r.batches.size(), "the batch running when interrupted finishes, no other starts");
        assertTrue(e.getMessage().contains("after 2 of the 9 points"), e.getMessage());
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status stays set");
    }

    @Test
    void anInterruptedCallerStartsNothing() {
        Recorder r = new Recorder();
        Thread.currentThread().interrupt();
        assertThrows(CancellationException.class,
                () -> new AutomaticMaskGenerator(PARAMS.withPointsPerSide(3)).generate(30, 30, r));
        assertEquals(0, r.crops.size(), "no crop was encoded");
    }
}
