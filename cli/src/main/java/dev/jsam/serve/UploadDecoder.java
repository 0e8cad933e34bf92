package dev.jsam.serve;

import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.image.ImageTooLargeException;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An upload's bytes on their way to an RGB image through the library's reader: first its header
 * (the size, checked against the pixel limit, and what decoding will take, so the server can
 * budget for it), then the pixels (upright by its EXIF orientation unless the server ignores it).
 * Failures become API refusals: 413 for too many pixels, 415 for what is not a readable image (an
 * unknown format, or a file cut short or corrupt), with the reader's reason. The bytes pass
 * through a private temporary file, deleted on close, whose name never reaches the answer.
 * Not thread-safe: one per upload.
 */
final class UploadDecoder implements AutoCloseable {
    private final Path tmp;
    private final long maxPixels;
    private final ExifOrientation orientation;

    private UploadDecoder(Path tmp, long maxPixels, ExifOrientation orientation) {
        this.tmp = tmp;
        this.maxPixels = Math.min(maxPixels, RgbImage.MAX_PIXELS);
        this.orientation = orientation;
    }

    /** Keeps the bytes in a temporary file for reading; 400 when there are none. */
    static UploadDecoder of(byte[] bytes, long maxPixels, ExifOrientation orientation) throws IOException {
        if (bytes.length == 0) {
            throw new ApiException(400, "empty upload: send the image file's bytes as the request body");
        }
        Path tmp = Files.createTempFile("jsam-upload-", ".img");
        try {
            Files.write(tmp, bytes);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return new UploadDecoder(tmp, maxPixels, orientation);
    }

    /** The image's header: its upright size (413 over the pixel limit) and what decoding it takes. */
    ImageHeader header() {
        ImageHeader h;
        try {
            h = Images.header(tmp, orientation);
        } catch (IOException e) {
            throw unreadable(e);
        }
        if (h.pixels() > maxPixels) {
            throw tooLarge(h.width(), h.height());
        }
        return h;
    }

    /** The pixels. */
    RgbImage decode() {
        try {
            return Images.read(tmp, maxPixels, orientation);
        } catch (ImageTooLargeException e) {
            throw tooLarge(e.width(), e.height());
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private ApiException tooLarge(long width, long height) {
        return new ApiException(413, "image is " + width + " x " + height + " pixels, over the limit of " + maxPixels
                + " pixels");
    }

    private ApiException unreadable(IOException e) {
        String reason = e.getMessage() == null ? "" : e.getMessage().replace(tmp + ": ", "");
        return new ApiException(415, "not an image this server can read (PNG, JPEG, BMP, GIF, TIFF): " + reason);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(tmp);
    }
}
