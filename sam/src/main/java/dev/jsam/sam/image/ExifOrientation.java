package dev.jsam.sam.image;

/**
 * Whether {@link Images#read(java.nio.file.Path, long, ExifOrientation)} turns a photo upright by
 * its orientation tag (EXIF in a JPEG or a PNG's eXIf chunk, or a TIFF's own tag), as OpenCV's
 * imread, which the reference's scripts use, and every browser do; or keeps the pixels as stored.
 */
public enum ExifOrientation {
    /** The picture as a viewer shows it: every coordinate is in this upright frame (the default). */
    APPLY,
    /** The pixels in the order the file stores them, the tag ignored. */
    IGNORE
}
