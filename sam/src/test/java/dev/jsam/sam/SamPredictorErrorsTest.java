package dev.jsam.sam;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The predictor's contract beyond the golden numbers: clear errors for misuse, coordinates
 * outside the image accepted as the reference accepts them, the embedding computed once and
 * surviving a save/load round trip, BGR input equal to RGB input reversed.
 */
class SamPredictorErrorsTest {
    static CpuBackend backend;
    static Sam sam;
    static SamPredictor predictor;

    @BeforeAll
    static void load() throws Exception {
        backend = CpuBackend.create();
        sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), backend), backend);
        predictor = new SamPredictor(sam);
        // a small image keeps this test fast: the encoder still sees a full 1024 x 1024 input
        byte[] px = new byte[40 * 30 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        predictor.setImage(RgbImage.of(40, 30, px));
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void predictingBeforeAnImageIsSetIsAnError() {
        SamPredictor fresh = new SamPredictor(sam);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fresh.predict(new double[] {1, 1}, new int[] {1}, null, null, true, false));
        assertTrue(e.getMessage().contains("setImage"), e.getMessage());
        assertFalse(fresh.isImageSet());
    }

    @Test
    void labelsWithoutPointsAndMismatchedCountsAreErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(null, new int[] {1}, null, null, true, false));
        assertTrue(e.getMessage().contains("point_coords"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> predictor.predict(new double[] {1, 2}, null, null, null, true, false));
        assertTrue(e.getMessage().contains("point_labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new double[] {1, 2, 3, 4}, new int[] {1}, null, null, true, false));
        assertTrue(e.getMessage().contains("2 points but 1 labels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new double[] {1, 2}, new int[] {3}, null, null, true, false));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
    }

    @Test
    void nanCoordinatesAreErrorsButOutsideCoordinatesAreAccepted() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new double[] {Double.NaN, 2}, new int[] {1}, null, null, true, false));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(null, null, new double[] {0, 0, Double.POSITIVE_INFINITY, 3}, null, true, false));
        assertTrue(e.getMessage().contains("box coordinate 2"), e.getMessage());
        SamPredictor.Prediction p = predictor.predict(new double[] {-50, 1000}, new int[] {1}, null, null, true, false);
        assertArrayEquals(new int[] {3, 30, 40}, p.masks().shape());
    }

    @Test
    void maskInputOfTheWrongShapeIsAnError() {
        Tensor bad = Tensor.full(backend, 0f, 1, 128, 128);
        var e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new double[] {1, 1}, new int[] {1}, null, bad, false, false));
        assertTrue(e.getMessage().contains("[1, 256, 256]"), e.getMessage());
    }

    @Test
    void embeddingRoundTripGivesTheSamePrediction() throws Exception {
        SamPredictor.Prediction direct = predictor.predict(new double[] {10, 12}, new int[] {1}, new double[] {2, 3, 30, 25},
                null, true, true);
        Path file = Files.createTempFile("jsam-embedding", ".safetensors");
        try {
            predictor.getImageEmbedding().save(file);
            SamPredictor other = new SamPredictor(sam);
            other.setEmbedding(ImageEmbedding.load(file, backend));
            SamPredictor.Prediction loaded = other.predict(new double[] {10, 12}, new int[] {1},
                    new double[] {2, 3, 30, 25}, null, true, true);
            assertArrayEquals(direct.masks().toFloatArray(), loaded.masks().toFloatArray());
            assertArrayEquals(direct.iouPredictions().toFloatArray(), loaded.iouPredictions().toFloatArray());
            assertEquals(30, other.getImageEmbedding().originalH());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void bgrInputIsReversedToRgb() {
        ImageEmbedding rgb = predictor.getImageEmbedding();
        byte[] px = new byte[40 * 30 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 7);
        }
        SamPredictor other = new SamPredictor(sam);
        other.setImage(RgbImage.of(40, 30, px).reverseChannels(), SamPredictor.ImageFormat.BGR);
        assertArrayEquals(rgb.features().toFloatArray(), other.getImageEmbedding().features().toFloatArray());
    }
}
