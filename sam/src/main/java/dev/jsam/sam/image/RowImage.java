package dev.jsam.sam.image;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.RenderedImage;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Vector;

/**
 * A RenderedImage whose rows are produced on demand from {@link ImageRows}, a strip at a time, so
 * ImageIO's PNG writer (which, for an image of several tiles, asks for one row at a time, top to
 * bottom) encodes an image that is never held whole. Tiles are single rows. Only that forward,
 * row-by-row access is supported; anything else is an IllegalStateException. The source's
 * IOException travels as an UncheckedIOException. Not thread-safe.
 */
final class RowImage implements RenderedImage {
    private final int width;
    private final int height;
    private final int bands;
    private final int stripRows;
    private final ImageRows source;
    private final ColorModel colorModel;
    private final byte[] strip;
    private int stripStart = -1;
    private int stripEnd = -1;

    RowImage(int width, int height, int bands, int stripRows, ImageRows source) {
        if (bands != 1 && bands != 3) {
            throw new IllegalArgumentException("grey (1 band) or RGB (3 bands), not " + bands);
        }
        this.width = width;
        this.height = height;
        this.bands = bands;
        this.stripRows = Math.max(1, Math.min(stripRows, height));
        this.source = source;
        ColorSpace space = ColorSpace.getInstance(bands == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        this.colorModel = new ComponentColorModel(space, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        this.strip = new byte[this.stripRows * width * bands];
    }

    /** Row y as a raster located at (0, y), reading the next strip when y passes the current one. */
    private Raster row(int y) {
        if (y < stripStart || y >= height || y < 0) {
            throw new IllegalStateException("row " + y + " asked after rows up to " + stripEnd + " of " + height);
        }
        if (y >= stripEnd) {
            stripStart = y;
            stripEnd = Math.min(height, y + stripRows);
            try {
                source.read(stripStart, stripEnd, strip);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        byte[] one = new byte[width * bands];
        System.arraycopy(strip, (y - stripStart) * width * bands, one, 0, one.length);
        return Raster.createRaster(sampleModel(), new DataBufferByte(one, one.length), new Point(0, y));
    }

    private SampleModel sampleModel() {
        int[] offsets = bands == 1 ? new int[] {0} : new int[] {0, 1, 2};
        return new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, width, 1, bands, width * bands, offsets);
    }

    @Override
    public Raster getTile(int tileX, int tileY) {
        return row(tileY);
    }

    @Override
    public Raster getData(Rectangle rect) {
        if (rect.height != 1 || rect.x != 0 || rect.width != width) {
            throw new IllegalStateException("only whole single rows can be read, not " + rect);
        }
        return row(rect.y);
    }

    @Override
    public Raster getData() {
        throw new IllegalStateException("a streamed image is read a row at a time");
    }

    @Override
    public WritableRaster copyData(WritableRaster raster) {
        throw new IllegalStateException("a streamed image is read a row at a time");
    }

    @Override
    public Vector<RenderedImage> getSources() {
        return null;
    }

    @Override
    public Object getProperty(String name) {
        return java.awt.Image.UndefinedProperty;
    }

    @Override
    public String[] getPropertyNames() {
        return null;
    }

    @Override
    public ColorModel getColorModel() {
        return colorModel;
    }

    @Override
    public SampleModel getSampleModel() {
        return sampleModel();
    }

    @Override
    public int getWidth() {
        return width;
    }

    @Override
    public int getHeight() {
        return height;
    }

    @Override
    public int getMinX() {
        return 0;
    }

    @Override
    public int getMinY() {
        return 0;
    }

    @Override
    public int getNumXTiles() {
        return 1;
    }

    @Override
    public int getNumYTiles() {
        return height;
    }

    @Override
    public int getMinTileX() {
        return 0;
    }

    @Override
    public int getMinTileY() {
        return 0;
    }

    @Override
    public int getTileWidth() {
        return width;
    }

    @Override
    public int getTileHeight() {
        return 1;
    }

    @Override
    public int getTileGridXOffset() {
        return 0;
    }

    @Override
    public int getTileGridYOffset() {
        return 0;
    }
}
