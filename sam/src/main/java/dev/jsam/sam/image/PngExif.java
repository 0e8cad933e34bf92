package dev.jsam.sam.image;

import java.io.EOFException;
import java.io.IOException;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds the EXIF orientation tag of a PNG: the first eXIf chunk, before or after the image data,
 * as libpng (and so OpenCV's imread) takes it. Only chunk headers are read; the walk seeks over
 * everything else and stops at IEND, at a length no PNG may have, or at the end of the file.
 */
final class PngExif {
    private static final int SIGNATURE_BYTES = 8;
    private static final int EXIF = 0x65584966; // "eXIf"
    private static final int IEND = 0x49454E44; // "IEND"

    private PngExif() {
    }

    /** The orientation tag of the PNG at the stream's position 0, or {@link OrientationTag#NONE}. */
    static int orientationTag(ImageInputStream in) throws IOException {
        try {
            in.seek(SIGNATURE_BYTES);
            while (true) {
                long length = in.readUnsignedInt();
                int type = in.readInt();
                if (length > Integer.MAX_VALUE || type == IEND) {
                    return OrientationTag.NONE;
                }
                long data = in.getStreamPosition();
                if (type == EXIF) {
                    return OrientationTag.read(in, data, data + length);
                }
                in.seek(data + length + 4);
            }
        } catch (EOFException e) {
            return OrientationTag.NONE;
        }
    }
}
