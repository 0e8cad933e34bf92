package dev.jsam.serve;

import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageTooLargeException;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns an upload's bytes into an RGB image with the library's reader (size checked from the header
 * before decoding; upright by its EXIF orientation unless the server ignores it), mapping its
 * failures to API refusals: 413 for too many pixels, 415 for what is not a readable image (an
 * unknown format, or a file cut short or corrupt), with the reader's reason. The bytes pass
 * through a private temporary file, deleted at once, whose name never reaches the answer.
 */
final class UploadDecoder {
    private UploadDecoder() {
    }

    static RgbImage decode(byte[] bytes, long maxPixels, ExifOrientation orientation) throws IOException {
        if (bytes.length == 0) {
            throw new ApiException(400, "empty upload: send the image file's bytes as the request body");
        }
        Path tmp = Files.createTempFile("jsam-upload-", ".img");
        try {
            Files.write(tmp, bytes);
            return Images.read(tmp, Math.min(maxPixels, RgbImage.MAX_PIXELS), orientation);
        } catch (ImageTooLargeException e) {
            throw new ApiException(413, "image is " + e.width() + " x " + e.height() + " pixels, over the limit of "
                    + e.maxPixels() + " pixels");
        } catch (IOException e) {
            String reason = e.getMessage() == null ? "" : e.getMessage().replace(tmp + ": ", "");
            throw new ApiException(415, "not an image this server can read (PNG, JPEG, BMP, GIF, TIFF): " + reason);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
