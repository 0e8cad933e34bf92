package dev.jsam.sam.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;
import javax.imageio.plugins.tiff.TIFFTag;
import javax.imageio.stream.ImageOutputStream;

/**
 * Builds, for the tests, the files a camera or an editor writes: EXIF blocks (a TIFF header and
 * one directory, in either byte order), a PNG with an eXIf chunk before or after its image data,
 * a JPEG with an APP1 Exif segment after its JFIF segment, and a TIFF with an Orientation tag.
 * Written from the specifications (TIFF 6.0, Exif 2.3, PNG 1.5 extensions), not from our reader.
 */
final class ExifFiles {
    static final int ORIENTATION = 274;
    static final int SHORT = 3;
    static final int LONG = 4;

    private ExifFiles() {
    }

    /** One 12-byte directory entry: tag, type, count and the 4-byte value field. */
    record Entry(int tag, int type, int count, int value) {
        static Entry orientation(int value) {
            return new Entry(ORIENTATION, SHORT, 1, value);
        }
    }

    /** A TIFF structure whose IFD0, right after the header, holds the entries (values left-justified). */
    static byte[] exif(ByteOrder order, Entry... entries) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 + 12 * entries.length + 4).order(order);
        b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        b.put(order == ByteOrder.LITTLE_ENDIAN ? (byte) 'I' : (byte) 'M');
        b.putShort((short) 42).putInt(8).putShort((short) entries.length);
        for (Entry e : entries) {
            b.putShort((short) e.tag()).putShort((short) e.type()).putInt(e.count());
            if (e.type() == SHORT) {
                b.putShort((short) e.value()).putShort((short) 0);
            } else {
                b.putInt(e.value());
            }
        }
        b.putInt(0);
        return b.array();
    }

    /** A lossless PNG of {@code image} with an eXIf chunk holding {@code exif}, before or after IDAT. */
    static byte[] pngWithExif(BufferedImage image, byte[] exif, boolean afterImageData) throws IOException {
        return withExifChunk(encode(image, "png"), exif, afterImageData);
    }

    /** {@code png} with an eXIf chunk added right after IHDR or right before IEND. */
    static byte[] withExifChunk(byte[] png, byte[] exif, boolean afterImageData) throws IOException {
        int at = afterImageData ? indexOf(png, "IEND") - 4 : 8 + 8 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, at);
        out.write(chunk("eXIf", exif));
        out.write(png, at, png.length - at);
        return out.toByteArray();
    }

    /** A PNG chunk: length, type, data, CRC of type and data. */
    static byte[] chunk(String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(name).put(data)
                .putInt((int) crc.getValue()).array();
    }

    /** A JPEG of {@code image} (ImageIO's, with its JFIF APP0) with an APP1 "Exif\0\0" segment after APP0. */
    static byte[] jpegWithExif(BufferedImage image, byte[] exif) throws IOException {
        byte[] jpeg = encode(image, "jpeg");
        int app0End = 4 + ((jpeg[4] & 0xFF) << 8 | jpeg[5] & 0xFF);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, app0End);
        int length = 2 + 6 + exif.length;
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length, 'E', 'x', 'i', 'f', 0, 0});
        out.write(exif);
        out.write(jpeg, app0End, jpeg.length - app0End);
        return out.toByteArray();
    }

    /** An uncompressed TIFF of {@code image} with the Orientation tag set to {@code orientation}. */
    static byte[] tiffWithOrientation(BufferedImage image, int orientation) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        IIOMetadata defaults = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
        TIFFDirectory directory = TIFFDirectory.createFromMetadata(defaults);
        TIFFTag tag = BaselineTIFFTagSet.getInstance().getTag(BaselineTIFFTagSet.TAG_ORIENTATION);
        directory.addTIFFField(new TIFFField(tag, TIFFTag.TIFF_SHORT, 1, new char[] {(char) orientation}));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, directory.getAsMetadata()), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no " + format + " writer");
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, String ascii) {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException(ascii + " not found");
    }
}
