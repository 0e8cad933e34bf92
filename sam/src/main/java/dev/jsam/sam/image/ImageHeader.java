package dev.jsam.sam.image;

import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import javax.imageio.ImageTypeSpecifier;

/**
 * What an image file will take to decode, read from its header alone ({@link Images#header}): the
 * upright size, the bytes per pixel of the raster the decoder fills (1 grey, 3 RGB, 4 RGBA or CMYK,
 * 8 for 16-bit RGBA), and whether turning it upright copies the pixels once more. Immutable.
 */
public record ImageHeader(int width, int height, int decodedBytesPerPixel, boolean reoriented) {

    public long pixels() {
        return (long) width * height;
    }

    /**
     * Bytes {@link Images#read} holds at its peak: the decoder's raster with the RGB copy made from
     * it, or the stored and the upright RGB copies, whichever is more.
     */
    public long decodeBytes() {
        return pixels() * Math.max(decodedBytesPerPixel + 3, reoriented ? 6 : 3);
    }

    /** Bytes per pixel of the rasters an ImageIO image type makes (whole bytes, rounded up). */
    static int bytesPerPixel(ImageTypeSpecifier type) {
        SampleModel sm = type.getSampleModel(1, 1);
        long bits = (long) DataBuffer.getDataTypeSize(sm.getDataType()) * sm.getNumDataElements();
        return (int) Math.max(1, (bits + 7) / 8);
    }
}
