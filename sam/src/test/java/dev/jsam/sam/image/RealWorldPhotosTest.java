package dev.jsam.sam.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The photos in testdata/images/realworld against the pixels OpenCV 4.6's imread returned for
 * them (NAME.cv2.png, see its README): progressive, grey, EXIF-rotated, CMYK and YCCK JPEGs (Adobe
 * transform 0, 2 and 1, and no Adobe segment), all exactly; a PNG with a late eXIf chunk; and the
 * rotated JPEG read as stored.
 */
class RealWorldPhotosTest {

    private static Path photo(String name) {
        return Path.of(System.getProperty("jsam.testdata"), "images", "realworld", name);
    }

    /** The largest per-sample difference between two images of the same size. */
    private static int maxDifference(RgbImage a, RgbImage b) {
        assertEquals(b.width(), a.width(), "width");
        assertEquals(b.height(), a.height(), "height");
        byte[] x = a.toHwcBytes();
        byte[] y = b.toHwcBytes();
        int max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs((x[i] & 0xFF) - (y[i] & 0xFF)));
        }
        return max;
    }

    /**
     * Exact, CMYK and YCCK included: the issue asks for one level there, but the JDK's libjpeg hands
     * back the same samples as OpenCV's libjpeg-turbo for these files, so any difference is a bug.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "dog_exif6.jpg, dog_exif6.cv2.png",
        "dog_grey.jpg, dog_grey.cv2.png",
        "dog_progressive.jpg, dog_progressive.cv2.png",
        "dog_cmyk.jpg, dog_cmyk.cv2.png",
        "dog_cmyk_noadobe.jpg, dog_cmyk_noadobe.cv2.png",
        "dog_ycck.jpg, dog_ycck.cv2.png",
        "dog_ycck_transform1.jpg, dog_ycck.cv2.png",
    })
    void exactlyOpenCvsPixels(String jpeg, String opencv) throws IOException {
        RgbImage expected = Images.read(photo(opencv));
        assertEquals(800, expected.width());
        assertEquals(534, expected.height());
        assertEquals(0, maxDifference(Images.read(photo(jpeg)), expected), jpeg + ": largest difference in levels");
    }

    /** A PNG stored turned, its eXIf chunk after the image data: OpenCV (libpng) applies it, browsers do not. */
    @Test
    void lateExifChunkOfAPngIsApplied() throws IOException {
        RgbImage dog = Images.read(Path.of(System.getProperty("jsam.testdata"), "images", "dog.png"));
        assertEquals(dog, Images.read(photo("dog_exif8_late.png")));
        assertEquals(534, Images.read(photo("dog_exif8_late.png"), ExifOrientation.IGNORE).width());
    }

    /** Ignoring the tag gives the pixels as stored: the upright picture turned back a quarter. */
    @Test
    void exifIgnoredGivesTheStoredFrame() throws IOException {
        RgbImage stored = Images.read(photo("dog_exif6.jpg"), ExifOrientation.IGNORE);
        RgbImage upright = Images.read(photo("dog_exif6.cv2.png"));
        assertEquals(534, stored.width());
        assertEquals(800, stored.height());
        for (int y = 0; y < stored.height(); y++) {
            for (int x = 0; x < stored.width(); x++) {
                // Orientation 6 (rotate 90 degrees clockwise to show) puts stored (x, y) at upright (799 - y, x).
                assertEquals(stored.rgb(x, y), upright.rgb(stored.height() - 1 - y, x), "stored (" + x + ", " + y + ")");
            }
        }
    }
}
