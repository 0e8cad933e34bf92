package dev.jsam.cli;

import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How predict, embed, amg and serve read an image: upright by its EXIF orientation unless
 * --ignore-exif-orientation is given. A file that is missing, not an image, cut short or corrupt
 * is bad input: one line naming the file (exit code 2).
 */
public final class ImageInput {
    /** The flag that keeps the stored pixel order, the orientation tag ignored. */
    public static final String IGNORE_EXIF_ORIENTATION = "--ignore-exif-orientation";
    /** Its line in a command's usage text. */
    public static final String HELP = """
              --ignore-exif-orientation
                                   use the pixels as stored instead of turning the photo upright by its
                                   EXIF orientation (coordinates in and out are then in the stored frame)
            """;

    private ImageInput() {
    }

    /** What the flag asks for. */
    public static ExifOrientation orientation(Args args) {
        return args.has(IGNORE_EXIF_ORIENTATION) ? ExifOrientation.IGNORE : ExifOrientation.APPLY;
    }

    /** Reads {@code file} as the flags say, or fails with a usage error naming it. */
    static RgbImage read(Path file, Args args) {
        try {
            return Images.read(file, orientation(args));
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
