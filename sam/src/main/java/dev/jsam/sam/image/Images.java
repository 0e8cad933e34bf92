package dev.jsam.sam.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads image files (whatever javax.imageio decodes: PNG, JPEG, BMP, GIF, and also TIFF and WBMP)
 * into {@link RgbImage}s the way OpenCV's imread, which the reference's scripts use, sees them, and
 * writes 8-bit RGB and grey PNGs. A photo is turned upright by its orientation tag unless asked
 * not to ({@link ExifOrientation}); CMYK and YCCK JPEGs get OpenCV's colours ({@link CmykConversion});
 * a JPEG cut short or corrupt is an error, never grey filler. Only the first image of a multi-image
 * file is read. The size is checked from the header before decoding; every failure is an
 * IOException naming the file. Stateless static methods: thread-safe (each call has its own
 * reader and writer).
 */
public final class Images {
    static {
        // ImageIO otherwise buffers every stream it writes (the PNGs here) in a file under
        // java.io.tmpdir, and fails with "Can't create cache file!" where that is missing or
        // read-only; the images are in memory anyway.
        ImageIO.setUseCache(false);
    }

    /**
     * Default pixel limit for {@link #read(Path)}: 100 megapixels (e.g. 12000 x 8333). That covers
     * the largest camera images in common use, while the worst decode (16-bit RGBA, 8 bytes per
     * pixel) plus the RGB copy stays near 1.1 GB. SAM resizes every input to 1024 on its long side,
     * so a larger input gains nothing.
     */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;

    private static final byte[] JPEG_MAGIC = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] TIFF_LITTLE_MAGIC = {'I', 'I', 42, 0};
    private static final byte[] TIFF_BIG_MAGIC = {'M', 'M', 0, 42};

    private Images() {
    }

    /** Reads {@code file} as upright RGB, refusing images over {@link #DEFAULT_MAX_PIXELS}. */
    public static RgbImage read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_PIXELS, ExifOrientation.APPLY);
    }

    /** Reads {@code file} as RGB, upright or as stored, refusing images over {@link #DEFAULT_MAX_PIXELS}. */
    public static RgbImage read(Path file, ExifOrientation orientation) throws IOException {
        return read(file, DEFAULT_MAX_PIXELS, orientation);
    }

    /** Reads {@code file} as upright RGB, refusing images over {@code maxPixels}. */
    public static RgbImage read(Path file, long maxPixels) throws IOException {
        return read(file, maxPixels, ExifOrientation.APPLY);
    }

    /**
     * Reads {@code file} as RGB (see {@link RgbImage#fromBufferedImage} for how grey, palette,
     * 16-bit and alpha images are converted, and {@link CmykConversion} for CMYK and YCCK JPEGs).
     *
     * @param maxPixels   the largest width * height accepted, at most {@link RgbImage#MAX_PIXELS}
     * @param orientation whether to turn the picture upright by its orientation tag
     * @throws ImageTooLargeException if the header announces more pixels, before any decoding
     * @throws IOException if the file is missing, not an image, cut short or corrupt
     */
    public static RgbImage read(Path file, long maxPixels, ExifOrientation orientation) throws IOException {
        if (maxPixels < 1 || maxPixels > RgbImage.MAX_PIXELS) {
            throw new IllegalArgumentException("maxPixels must be in 1.." + RgbImage.MAX_PIXELS + ", got " + maxPixels);
        }
        return withReader(file, orientation, (reader, opened) -> {
            if ((long) opened.width() * opened.height() > maxPixels) {
                throw new ImageTooLargeException(file, opened.width(), opened.height(), maxPixels);
            }
            DamageWarnings warnings = new DamageWarnings();
            reader.addIIOReadWarningListener(warnings);
            JpegHeader header = opened.jpeg();
            RgbImage stored = decoding(file, reader, () -> header != null && header.components() == 4
                    ? RgbImage.wrap(opened.width(), opened.height(),
                            CmykConversion.toRgbBytes(reader.readRaster(0, null), header.ycck()))
                    : RgbImage.fromBufferedImage(reader.read(0)));
            if (warnings.damage() != null) {
                throw new IOException(file + ": the " + reader.getFormatName() + " data is cut short or corrupt ("
                        + warnings.damage() + ")");
            }
            return opened.orientation().upright(stored);
        });
    }

    /**
     * What {@link #read(Path, long, ExifOrientation)} would decode, from the header alone: the
     * upright size and the bytes per pixel of the decoder's raster (for memory estimates before
     * any decoding).
     *
     * @throws IOException if the file is missing or not an image this reader knows
     */
    public static ImageHeader header(Path file, ExifOrientation orientation) throws IOException {
        return withReader(file, orientation, (reader, opened) -> {
            boolean swaps = opened.orientation().swapsSides();
            int decoded = opened.jpeg() != null && opened.jpeg().components() == 4 ? 4
                    : decoding(file, reader, () -> ImageHeader.bytesPerPixel(reader.getImageTypes(0).next()));
            return new ImageHeader(swaps ? opened.height() : opened.width(), swaps ? opened.width() : opened.height(),
                    decoded, opened.orientation() != Orientation.TOP_LEFT);
        });
    }

    /** A file opened for decoding: its stored size, its JPEG header (null for other formats), its orientation. */
    private record Opened(int width, int height, JpegHeader jpeg, Orientation orientation) {
    }

    /** Work done with a reader positioned on the file's first image. */
    private interface ReaderWork<T> {
        T run(ImageReader reader, Opened opened) throws IOException;
    }

    /**
     * Opens {@code file} (refusing a missing file, a folder, or a format no reader knows), reads
     * its orientation tag and stored size, and runs {@code work} with the reader, disposed after.
     */
    private static <T> T withReader(Path file, ExifOrientation orientation, ReaderWork<T> work) throws IOException {
        if (Files.notExists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image file");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException(file + ": cannot open the file for reading");
            }
            byte[] magic = new byte[PNG_MAGIC.length];
            int got = in.read(magic);
            boolean jpeg = startsWith(magic, got, JPEG_MAGIC);
            JpegHeader header = jpeg ? JpegHeader.scan(in) : null;
            Orientation tag = Orientation.ofTag(orientation == ExifOrientation.IGNORE ? OrientationTag.NONE
                    : jpeg ? header.orientationTag() : orientationTag(in, magic, got));
            in.seek(0);
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(file + ": not an image in a format this reader knows (PNG, JPEG, BMP, GIF, TIFF, WBMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = decoding(file, reader, () -> reader.getWidth(0));
                int height = decoding(file, reader, () -> reader.getHeight(0));
                if (width < 1 || height < 1) {
                    throw new IOException(file + ": invalid image size " + width + " x " + height);
                }
                return work.run(reader, new Opened(width, height, header, tag));
            } finally {
                reader.dispose();
            }
        }
    }

    /** A step of ImageIO's decoding. */
    private interface Decoding<T> {
        T run() throws IOException;
    }

    /** Runs a decoding step, turning its failure into an IOException naming the file. */
    private static <T> T decoding(Path file, ImageReader reader, Decoding<T> step) throws IOException {
        try {
            return step.run();
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot decode the " + reader.getFormatName() + " image: " + e.getMessage(), e);
        }
    }

    /** The orientation tag of a PNG (its eXIf chunk) or a TIFF (its own IFD0); none for other formats. */
    private static int orientationTag(ImageInputStream in, byte[] magic, int got) throws IOException {
        if (startsWith(magic, got, PNG_MAGIC)) {
            return PngExif.orientationTag(in);
        }
        if (startsWith(magic, got, TIFF_LITTLE_MAGIC) || startsWith(magic, got, TIFF_BIG_MAGIC)) {
            return OrientationTag.read(in, 0, in.length() < 0 ? Long.MAX_VALUE : in.length());
        }
        return OrientationTag.NONE;
    }

    private static boolean startsWith(byte[] bytes, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Writes {@code image} as an 8-bit RGB PNG. */
    public static void writePng(RgbImage image, Path file) throws IOException {
        writePng(image.toBufferedImage(), file);
    }

    /**
     * Writes an 8-bit grey PNG of {@code width} x {@code height} from {@code grey}, one byte per
     * pixel, row-major (e.g. a binary mask as 0 and 255).
     */
    public static void writeGreyPng(byte[] grey, int width, int height, Path file) throws IOException {
        RgbImage.checkSize(width, height);
        if (grey.length != width * height) {
            throw new IllegalArgumentException("a grey image of " + width + " x " + height + " needs "
                    + width * height + " bytes, got " + grey.length);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(grey, 0, data, 0, grey.length);
        writePng(image, file);
    }

    /**
     * Writes an 8-bit grey (bands 1) or RGB (bands 3) PNG whose rows come from {@code rows}, asked
     * for top to bottom in strips of {@code stripRows}: the image is never held whole (a mask or an
     * overlay at the size of a 100-megapixel image), and the file is the one ImageIO writes for the
     * same pixels held in a BufferedImage.
     */
    public static void writePng(int width, int height, int bands, int stripRows, ImageRows rows, Path file)
            throws IOException {
        RgbImage.checkSize(width, height);
        try {
            writePng(new RowImage(width, height, bands, stripRows, rows), file);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void writePng(RenderedImage image, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException(file + ": no PNG writer for this image type");
            }
        }
    }
}
