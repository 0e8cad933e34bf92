package dev.jsam.sam.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * BilinearResize on small images whose results are worked out by hand from Pillow's rules; the
 * byte-for-byte comparison with Pillow's own output is in ResizeLongestSideTest.
 */
class BilinearResizeTest {

    private static RgbImage row(int... red) {
        byte[] hwc = new byte[red.length * 3];
        for (int i = 0; i < red.length; i++) {
            hwc[i * 3] = (byte) red[i];
            hwc[i * 3 + 2] = (byte) 255;
        }
        return RgbImage.of(red.length, 1, hwc);
    }

    private static int[] reds(RgbImage image) {
        int[] out = new int[image.width() * image.height()];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                out[y * image.width() + x] = image.sample(x, y, 0);
            }
        }
        return out;
    }

    private static RgbImage transpose(RgbImage image) {
        int w = image.width();
        int h = image.height();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    out[(x * h + y) * 3 + c] = (byte) image.sample(x, y, c);
                }
            }
        }
        return RgbImage.of(h, w, out);
    }

    @Test
    void halvingWidensTheTriangleToTwoPixels() {
        // Output 0 has centre 1.0 and reads inputs 0..2 with weights 3/7, 3/7, 1/7: 500/7 = 71.4.
        // Output 1 has centre 3.0 and reads inputs 1..3 with weights 1/7, 3/7, 3/7: 1465/7 = 209.3.
        RgbImage out = BilinearResize.resize(row(0, 100, 200, 255), 2, 1);
        assertArrayEquals(new int[] {71, 209}, reds(out));
        assertEquals(255, out.sample(0, 0, 2), "a constant channel stays constant");
        assertEquals(0, out.sample(1, 0, 1));
    }

    @Test
    void doublingInterpolatesAndCopiesTheEdges() {
        // Centres 0.25, 0.75, 1.25, 1.75: the outer two see one input only, the inner two mix 3:1.
        assertArrayEquals(new int[] {0, 50, 150, 200}, reds(BilinearResize.resize(row(0, 200), 4, 1)));
    }

    @Test
    void verticalPassMatchesTheHorizontalOne() {
        RgbImage column = transpose(row(0, 100, 200, 255));
        assertArrayEquals(new int[] {71, 209}, reds(BilinearResize.resize(column, 1, 2)));
    }

    @Test
    void singleAxisResizesAreTransposesOfEachOther() {
        Random random = new Random(42);
        byte[] hwc = new byte[37 * 23 * 3];
        random.nextBytes(hwc);
        RgbImage image = RgbImage.of(37, 23, hwc);
        RgbImage narrower = BilinearResize.resize(image, 20, 23);
        RgbImage shorter = BilinearResize.resize(transpose(image), 23, 20);
        assertEquals(narrower, transpose(shorter));
        assertEquals(transpose(BilinearResize.resize(image, 37, 50)), BilinearResize.resize(transpose(image), 50, 37));
    }

    @Test
    void sameSizeIsTheImageItself() {
        RgbImage image = row(1, 2, 3);
        assertSame(image, BilinearResize.resize(image, 3, 1));
    }
}
