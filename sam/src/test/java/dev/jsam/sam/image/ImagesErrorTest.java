package dev.jsam.sam.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images.read on bad input: every failure is an IOException naming the file; an image over the
 * pixel limit is refused from its header alone (the crafted 20000 x 20000 PNG holds no pixel data);
 * a JPEG cut short anywhere, or with damaged data, is refused rather than filled with grey.
 */
class ImagesErrorTest {

    @TempDir
    Path dir;

    /** A valid PNG signature and IHDR for an 8-bit RGB image of the given size, then one tiny IDAT. */
    private static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream header = new DataOutputStream(ihdr);
        header.writeInt(width);
        header.writeInt(height);
        header.write(new byte[] {8, 2, 0, 0, 0});
        out.write(ExifFiles.chunk("IHDR", ihdr.toByteArray()));
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[64]);
        deflater.finish();
        byte[] idat = new byte[128];
        out.write(ExifFiles.chunk("IDAT", Arrays.copyOf(idat, deflater.deflate(idat))));
        out.write(ExifFiles.chunk("IEND", new byte[0]));
        return bytes.toByteArray();
    }

    @Test
    void hugeImageIsRefusedFromItsHeader() throws IOException {
        Path file = dir.resolve("huge.png");
        Files.write(file, pngHeaderOnly(20000, 20000));
        assertTrue(Files.size(file) < 200);
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> Images.read(file));
        assertEquals(20000, e.width());
        assertEquals(20000, e.height());
        assertEquals(Images.DEFAULT_MAX_PIXELS, e.maxPixels());
        assertTrue(e.getMessage().contains("huge.png"), e.getMessage());
        assertTrue(e.getMessage().contains("20000 x 20000"), e.getMessage());
        assertTrue(e.getMessage().contains("100000000"), e.getMessage());
    }

    @Test
    void limitIsAParameter() throws IOException {
        Path dog = Path.of(System.getProperty("jsam.testdata"), "images", "dog.png");
        ImageTooLargeException e = assertThrows(ImageTooLargeException.class, () -> Images.read(dog, 400_000));
        assertTrue(e.getMessage().contains("800 x 534"), e.getMessage());
        assertEquals(800, Images.read(dog, 800 * 534).width());
        assertThrows(IllegalArgumentException.class, () -> Images.read(dog, 0));
    }

    @Test
    void nonImageIsAnIOExceptionNamingTheFile() throws IOException {
        Path file = dir.resolve("notes.png");
        Files.writeString(file, "these are not the pixels you are looking for\n".repeat(20));
        IOException e = assertThrows(IOException.class, () -> Images.read(file));
        assertTrue(e.getMessage().contains("notes.png"), e.getMessage());
    }

    @Test
    void emptyFileIsAnIOExceptionNamingTheFile() throws IOException {
        Path file = dir.resolve("empty.jpg");
        Files.write(file, new byte[0]);
        IOException e = assertThrows(IOException.class, () -> Images.read(file));
        assertTrue(e.getMessage().contains("empty.jpg"), e.getMessage());
    }

    @Test
    void truncatedPngIsAnIOExceptionNamingTheFile() throws IOException {
        byte[] whole = Files.readAllBytes(Path.of(System.getProperty("jsam.testdata"), "images", "dog.png"));
        Path file = dir.resolve("truncated.png");
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        IOException e = assertThrows(IOException.class, () -> Images.read(file));
        assertFalse(e instanceof ImageTooLargeException);
        assertTrue(e.getMessage().contains("truncated.png"), e.getMessage());
    }

    /** The bytes of a test JPEG: the baseline dog.jpg and the progressive real-world one. */
    private static byte[] jpeg(String relative) throws IOException {
        return Files.readAllBytes(Path.of(System.getProperty("jsam.testdata"), relative));
    }

    private void assertRefused(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        IOException e = assertThrows(IOException.class, () -> Images.read(file), name);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void jpegCutShortAnywhereIsRefused() throws IOException {
        for (String source : new String[] {"images/dog.jpg", "images/realworld/dog_progressive.jpg"}) {
            byte[] whole = jpeg(source);
            assertEquals(800, Images.read(Path.of(System.getProperty("jsam.testdata"), source)).width());
            for (int cut : new int[] {whole.length / 100, whole.length / 20, whole.length * 3 / 10, whole.length * 6 / 10,
                whole.length * 9 / 10, whole.length - 100, whole.length - 2, whole.length - 1}) {
                assertRefused("cut-" + cut + ".jpg", Arrays.copyOf(whole, cut));
            }
        }
        Path file = dir.resolve("cut.jpg");
        byte[] dog = jpeg("images/dog.jpg");
        Files.write(file, Arrays.copyOf(dog, dog.length / 2));
        IOException e = assertThrows(IOException.class, () -> Images.read(file));
        assertTrue(e.getMessage().contains("cut short or corrupt"), e.getMessage());
    }

    @Test
    void jpegWithDamagedDataIsRefused() throws IOException {
        for (String source : new String[] {"images/dog.jpg", "images/realworld/dog_progressive.jpg"}) {
            byte[] whole = jpeg(source);
            for (int at : new int[] {whole.length / 3, whole.length / 2}) {
                byte[] random = whole.clone();
                Random r = new Random(at);
                for (int i = at; i < at + 64; i++) {
                    random[i] = (byte) r.nextInt(256);
                }
                assertRefused("random-" + at + ".jpg", random);
                byte[] zeros = whole.clone();
                Arrays.fill(zeros, at, at + 64, (byte) 0);
                assertRefused("zeros-" + at + ".jpg", zeros);
                byte[] end = whole.clone();
                end[at] = (byte) 0xFF;
                end[at + 1] = (byte) 0xD9;
                assertRefused("early-eoi-" + at + ".jpg", end);
            }
        }
    }

    @Test
    void missingFileIsNoSuchFileAndADirectoryIsRefused() {
        Path file = dir.resolve("absent.png");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Images.read(file));
        assertTrue(e.getMessage().contains("absent.png"), e.getMessage());
        IOException d = assertThrows(IOException.class, () -> Images.read(dir));
        assertTrue(d.getMessage().contains(dir.toString()), d.getMessage());
    }
}
