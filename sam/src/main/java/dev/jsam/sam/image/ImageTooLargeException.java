package dev.jsam.sam.image;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when an image file's header announces more pixels than the caller allows; raised before
 * any pixel is decoded, so a huge file costs no memory. Carries the announced size and the limit.
 * An exception: safe to pass between threads once thrown.
 */
public final class ImageTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int width;
    private final int height;
    private final long maxPixels;

    public ImageTooLargeException(Path file, int width, int height, long maxPixels) {
        super(file + ": image is " + width + " x " + height + " = " + (long) width * height
                + " pixels, more than the limit of " + maxPixels + " pixels");
        this.width = width;
        this.height = height;
        this.maxPixels = maxPixels;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public long maxPixels() {
        return maxPixels;
    }
}
