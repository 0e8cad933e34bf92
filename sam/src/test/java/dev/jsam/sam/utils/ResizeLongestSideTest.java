package dev.jsam.sam.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.io.SafetensorsFile;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ResizeLongestSide: the resized image byte for byte against the reference's (golden input_image),
 * output shapes and coordinate mapping against values computed by hand and with numpy in the
 * reference's order of operations.
 */
class ResizeLongestSideTest {

    private final ResizeLongestSide transform = new ResizeLongestSide(1024);

    @ParameterizedTest
    @CsvSource({"dog, 684, 1024", "truck, 683, 1024", "truck_portrait, 1024, 683"})
    void applyImageIsByteIdenticalToTheReference(String name, int height, int width) throws IOException {
        Path testdata = Path.of(System.getProperty("jsam.testdata"));
        RgbImage resized = transform.applyImage(Images.read(testdata.resolve("images").resolve(name + ".png")));
        SafetensorsFile.Entry golden = SafetensorsFile.open(testdata.resolve("golden/tiny/" + name + ".safetensors"))
                .get("input_image");
        assertEquals(DType.U8, golden.dtype());
        assertArrayEquals(new int[] {height, width, 3}, golden.shape());
        assertEquals(width, resized.width());
        assertEquals(height, resized.height());
        byte[] expected = golden.data().toArray(ValueLayout.JAVA_BYTE);
        byte[] actual = resized.toHwcBytes();
        int differing = 0;
        int first = -1;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                differing++;
                first = first < 0 ? i : first;
            }
        }
        assertEquals(0, differing, differing + " bytes differ, the first at byte " + first);
    }

    @Test
    void preprocessShapeScalesTheLongerSide() {
        assertArrayEquals(new int[] {684, 1024}, ResizeLongestSide.getPreprocessShape(534, 800, 1024));
        assertArrayEquals(new int[] {683, 1024}, ResizeLongestSide.getPreprocessShape(1200, 1800, 1024));
        assertArrayEquals(new int[] {1024, 683}, ResizeLongestSide.getPreprocessShape(1800, 1200, 1024));
        assertArrayEquals(new int[] {1024, 1024}, ResizeLongestSide.getPreprocessShape(1024, 1024, 1024));
        assertArrayEquals(new int[] {1024, 1}, ResizeLongestSide.getPreprocessShape(5000, 3, 1024));
    }

    @Test
    void preprocessShapeRoundsHalvesUp() {
        // scale 1.25: 2 * 1.25 = 2.5 becomes 3 (int(x + 0.5)), not Python's round-half-even 2.
        assertArrayEquals(new int[] {3, 5}, ResizeLongestSide.getPreprocessShape(2, 4, 5));
        assertArrayEquals(new int[] {5, 3}, ResizeLongestSide.getPreprocessShape(4, 2, 5));
    }

    @Test
    void coordsScaleXByWidthAndYByHeight() {
        // dog: 534 x 800 becomes 684 x 1024; x scales by 1024/800 = 1.28, y by 684/534.
        double[] out = transform.applyCoords(new double[] {100, 200, 799, 533}, 534, 800);
        assertArrayEquals(new double[] {128.0, 256.17977528089887, 1022.72, 682.7191011235955}, out, 0.0);
    }

    @Test
    void boxesScaleBothCorners() {
        // truck: 1200 x 1800 becomes 683 x 1024; x scales by 1024/1800, y by 683/1200.
        double[] out = transform.applyBoxes(new double[] {10, 20, 1790, 1190}, 1200, 1800);
        assertArrayEquals(new double[] {5.688888888888889, 11.383333333333335, 1018.3111111111111, 677.3083333333334}, out, 0.0);
        assertThrows(IllegalArgumentException.class, () -> transform.applyBoxes(new double[] {1, 2, 3}, 10, 10));
    }

    @Test
    void torchVariantsComputeInFloat() {
        float[] coords = transform.applyCoordsTorch(new float[] {799, 533}, 534, 800);
        assertArrayEquals(new float[] {1022.72f, 682.7191162109375f}, coords, 0f);
        float[] boxes = transform.applyBoxesTorch(new float[] {10, 20, 1790, 1190}, 1200, 1800);
        assertEquals(677.308349609375f, boxes[3], 0f);
    }

    @Test
    void applyImageGivesThePreprocessShape() {
        RgbImage image = RgbImage.of(4, 2, new byte[4 * 2 * 3]);
        RgbImage out = new ResizeLongestSide(5).applyImage(image);
        assertEquals(5, out.width());
        assertEquals(3, out.height());
    }
}
