package dev.jsam.sam.image;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads the Orientation tag (274) from the first image directory (IFD0) of a TIFF structure: a
 * TIFF file itself, or the EXIF block of a JPEG's APP1 segment or a PNG's eXIf chunk, which are
 * TIFF structures too. Either byte order. Like OpenCV's EXIF reader it takes the first entry with
 * that tag and its 16-bit value from the entry's value field, whatever type the entry claims.
 * Every offset is checked against the structure's end: a malformed structure (bad byte-order
 * mark, offsets past the end, a directory cut short) means "no tag", never an exception other than
 * the stream's own IOException.
 */
final class OrientationTag {
    /** The result when there is no readable tag. */
    static final int NONE = 0;
    private static final int TAG_ORIENTATION = 274;
    private static final int ENTRY_BYTES = 12;

    private OrientationTag() {
    }

    /**
     * The tag's value (any 16-bit value; only 1..8 mean something) or {@link #NONE}, from the TIFF
     * structure occupying {@code [start, end)} of {@code in} (offsets in it count from start). The
     * stream's position is left anywhere; its byte order is restored.
     */
    static int read(ImageInputStream in, long start, long end) throws IOException {
        ByteOrder order = in.getByteOrder();
        try {
            if (end - start < 8) {
                return NONE;
            }
            in.seek(start);
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            if (b0 != b1 || (b0 != 'I' && b0 != 'M')) {
                return NONE;
            }
            in.setByteOrder(b0 == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
            if (in.readUnsignedShort() != 42) {
                return NONE;
            }
            long ifd = in.readUnsignedInt();
            if (ifd > end - start - 2) {
                return NONE;
            }
            in.seek(start + ifd);
            int entries = in.readUnsignedShort();
            long first = start + ifd + 2;
            for (int i = 0; i < entries; i++) {
                long entry = first + (long) i * ENTRY_BYTES;
                if (entry + ENTRY_BYTES > end) {
                    return NONE;
                }
                in.seek(entry);
                if (in.readUnsignedShort() == TAG_ORIENTATION) {
                    in.seek(entry + 8);
                    return in.readUnsignedShort();
                }
            }
            return NONE;
        } catch (EOFException e) {
            return NONE;
        } finally {
            in.setByteOrder(order);
        }
    }
}
