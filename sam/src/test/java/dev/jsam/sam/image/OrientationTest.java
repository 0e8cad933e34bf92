package dev.jsam.sam.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * All eight orientations, in every container that carries the tag: a PNG's eXIf chunk (both byte
 * orders, before and after the image data), a JPEG's APP1 segment and a TIFF's own tag. The files
 * hold the stored pixels of a known upright picture, made from the tag's definition (which visual
 * side the stored first row and first column are), written here independently of the reader's
 * transpose-and-flip code; lossless files must read back as that picture exactly, and with
 * {@link ExifOrientation#IGNORE} as the stored pixels.
 */
class OrientationTest {
    private static final int W = 5;
    private static final int H = 3;
    /** For tag v: the visual side of the stored 0th row and of the stored 0th column (Exif 2.3, table 6). */
    private static final String[][] SIDES = {
        {"top", "left"}, {"top", "right"}, {"bottom", "right"}, {"bottom", "left"},
        {"left", "top"}, {"right", "top"}, {"right", "bottom"}, {"left", "bottom"},
    };

    @TempDir
    Path dir;

    /** The upright picture: every pixel a different colour. */
    private static int upright(int x, int y) {
        return (x * 50) << 16 | (y * 100) << 8 | (x + y * W) * 10;
    }

    /** The stored image of the upright W x H picture under tag v, built from the stored-row/column sides. */
    private static BufferedImage stored(int v, int width, int height) {
        String row0 = SIDES[v - 1][0];
        String col0 = SIDES[v - 1][1];
        boolean rowsAreRows = row0.equals("top") || row0.equals("bottom");
        int sw = rowsAreRows ? width : height;
        int sh = rowsAreRows ? height : width;
        BufferedImage image = new BufferedImage(sw, sh, BufferedImage.TYPE_3BYTE_BGR);
        for (int r = 0; r < sh; r++) {
            for (int c = 0; c < sw; c++) {
                int[] xy = visual(v, c, r, width, height);
                image.setRGB(c, r, upright(xy[0], xy[1]));
            }
        }
        return image;
    }

    /** Where stored (column c, row r) appears in the upright width x height picture under tag v. */
    private static int[] visual(int v, int c, int r, int width, int height) {
        String row0 = SIDES[v - 1][0];
        String col0 = SIDES[v - 1][1];
        if (row0.equals("top") || row0.equals("bottom")) {
            int y = row0.equals("top") ? r : height - 1 - r;
            int x = col0.equals("left") ? c : width - 1 - c;
            return new int[] {x, y};
        }
        int x = row0.equals("left") ? r : width - 1 - r;
        int y = col0.equals("top") ? c : height - 1 - c;
        return new int[] {x, y};
    }

    private static void assertUpright(RgbImage image) {
        assertEquals(W, image.width());
        assertEquals(H, image.height());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals(upright(x, y), image.rgb(x, y), "upright pixel (" + x + ", " + y + ")");
            }
        }
    }

    private static void assertStored(BufferedImage expected, RgbImage image) {
        assertEquals(RgbImage.fromBufferedImage(expected), image);
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void pngExifChunkInEitherByteOrderBeforeOrAfterTheImageData(int v) throws IOException {
        BufferedImage stored = stored(v, W, H);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            byte[] exif = ExifFiles.exif(order, new ExifFiles.Entry(0x010F, 2, 4, 0x41424300),
                    ExifFiles.Entry.orientation(v), new ExifFiles.Entry(0x0131, 2, 4, 0x78797A00));
            for (boolean after : new boolean[] {false, true}) {
                Path png = file("o" + v + order + after + ".png", ExifFiles.pngWithExif(stored, exif, after));
                assertUpright(Images.read(png));
                assertStored(stored, Images.read(png, ExifOrientation.IGNORE));
            }
        }
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void tiffOrientationTag(int v) throws IOException {
        BufferedImage stored = stored(v, W, H);
        Path tiff = file("o" + v + ".tif", ExifFiles.tiffWithOrientation(stored, v));
        assertUpright(Images.read(tiff));
        assertStored(stored, Images.read(tiff, ExifOrientation.IGNORE));
    }

    /** JPEG is lossy, so the upright read is checked against the same file read as stored, pixel by pixel. */
    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void jpegExifSegment(int v) throws IOException {
        int width = 37;
        int height = 23;
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            Path jpeg = file("o" + v + order + ".jpg", ExifFiles.jpegWithExif(stored(v, width, height),
                    ExifFiles.exif(order, ExifFiles.Entry.orientation(v))));
            RgbImage upright = Images.read(jpeg);
            RgbImage asStored = Images.read(jpeg, ExifOrientation.IGNORE);
            assertEquals(width, upright.width());
            assertEquals(height, upright.height());
            for (int r = 0; r < asStored.height(); r++) {
                for (int c = 0; c < asStored.width(); c++) {
                    int[] xy = visual(v, c, r, width, height);
                    assertEquals(asStored.rgb(c, r), upright.rgb(xy[0], xy[1]), "stored (" + c + ", " + r + ")");
                }
            }
        }
    }

    @Test
    void tagValuesOutsideOneToEightAndOtherTypesAreReadAsOpenCvReadsThem() throws IOException {
        BufferedImage plain = stored(1, W, H);
        for (int v : new int[] {0, 9, 255, 0xFFFF}) {
            Path png = file("bad" + v + ".png", ExifFiles.pngWithExif(plain,
                    ExifFiles.exif(ByteOrder.BIG_ENDIAN, ExifFiles.Entry.orientation(v)), false));
            assertUpright(Images.read(png));
        }
        // A LONG entry: OpenCV reads the value field's first 16 bits, which is the value little-endian
        // and the (zero) high half big-endian.
        BufferedImage six = stored(6, W, H);
        Path little = file("long-le.png", ExifFiles.pngWithExif(six,
                ExifFiles.exif(ByteOrder.LITTLE_ENDIAN, new ExifFiles.Entry(ExifFiles.ORIENTATION, ExifFiles.LONG, 1, 6)), false));
        assertUpright(Images.read(little));
        Path big = file("long-be.png", ExifFiles.pngWithExif(six,
                ExifFiles.exif(ByteOrder.BIG_ENDIAN, new ExifFiles.Entry(ExifFiles.ORIENTATION, ExifFiles.LONG, 1, 6)), false));
        assertStored(six, Images.read(big));
    }

    @Test
    void theFirstOrientationEntryAndTheFirstExifChunkCount() throws IOException {
        BufferedImage three = stored(3, W, H);
        byte[] twice = ExifFiles.exif(ByteOrder.BIG_ENDIAN, ExifFiles.Entry.orientation(3), ExifFiles.Entry.orientation(6));
        assertUpright(Images.read(file("twice.png", ExifFiles.pngWithExif(three, twice, false))));
        byte[] first = ExifFiles.pngWithExif(three, ExifFiles.exif(ByteOrder.BIG_ENDIAN, ExifFiles.Entry.orientation(3)), false);
        byte[] both = ExifFiles.withExifChunk(first, ExifFiles.exif(ByteOrder.LITTLE_ENDIAN, ExifFiles.Entry.orientation(6)), true);
        assertUpright(Images.read(file("two-chunks.png", both)));
    }
}
