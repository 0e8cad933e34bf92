package dev.jsam.cli;

import dev.jsam.sam.image.ExifOrientation;

/**
 * How predict, embed, amg and serve are told to read images: upright by their EXIF orientation unless
 * --ignore-exif-orientation is given (Inputs.image reads them; a file that is missing, not an
 * image, cut short or corrupt is bad input: one line naming the file, exit code 2).
 */
public final class ImageInput {
    /** The flag that keeps the stored pixel order, the orientation tag ignored. */
    public static final String IGNORE_EXIF_ORIENTATION = "--ignore-exif-orientation";
    /** The flag as the commands declare it. */
    public static final CommandSpec.Option OPTION = CommandSpec.Option.flag(IGNORE_EXIF_ORIENTATION,
            "use the pixels as stored instead of turning the photo upright by its EXIF orientation"
                    + " (coordinates in and out are then in the stored frame)");

    private ImageInput() {
    }

    /** What the flag asks for. */
    public static ExifOrientation orientation(Args args) {
        return args.has(IGNORE_EXIF_ORIENTATION) ? ExifOrientation.IGNORE : ExifOrientation.APPLY;
    }
}
