package dev.jsam.sam.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images.read on bad input: every failure is an IOException naming the file, and an image over the
 * pixel limit is refused from its header alone (the crafted 20000 x 20000 PNG holds no pixel data).
 */
class ImagesErrorTest {

    @TempDir
    Path dir;

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeInt(data.length);
        out.write(name);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

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
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[64]);
        deflater.finish();
        byte[] idat = new byte[128];
        chunk(out, "IDAT", Arrays.copyOf(idat, deflater.deflate(idat)));
        chunk(out, "IEND", new byte[0]);
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

    @Test
    void missingFileIsNoSuchFileAndADirectoryIsRefused() {
        Path file = dir.resolve("absent.png");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Images.read(file));
        assertTrue(e.getMessage().contains("absent.png"), e.getMessage());
        IOException d = assertThrows(IOException.class, () -> Images.read(dir));
        assertTrue(d.getMessage().contains(dir.toString()), d.getMessage());
    }
}
