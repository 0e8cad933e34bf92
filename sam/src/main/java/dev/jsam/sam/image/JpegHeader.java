package dev.jsam.sam.image;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.stream.ImageInputStream;

/**
 * What a JPEG's marker segments before its first scan say that the JDK's decoder leaves to us: the
 * EXIF orientation tag (from the first APP1 segment that starts with "Exif\0\0"), the number of
 * colour components (from the frame header), and the transform flag of an Adobe APP14 segment,
 * which tells libjpeg whether four components are CMYK (0, or no Adobe segment) or YCCK (any
 * other value). A malformed segment list ends the walk with what was found so far; decoding the
 * pixels is what reports a broken file.
 *
 * @param orientationTag the EXIF orientation value, or {@link OrientationTag#NONE}
 * @param components     colour components of the frame, 0 if no frame header was found
 * @param adobeTransform the Adobe transform flag (the last APP14 "Adobe" segment's, as libjpeg
 *                       reads it), or -1 without one
 */
record JpegHeader(int orientationTag, int components, int adobeTransform) {
    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int APP1 = 0xE1;
    private static final int APP14 = 0xEE;
    private static final int TEM = 0x01;
    private static final byte[] EXIF = {'E', 'x', 'i', 'f', 0, 0};
    private static final byte[] ADOBE = {'A', 'd', 'o', 'b', 'e'};
    private static final int ADOBE_TRANSFORM_OFFSET = 11;

    /** Whether libjpeg decodes these four components as YCCK (and the JDK hands them back unconverted). */
    boolean ycck() {
        return components == 4 && adobeTransform > 0;
    }

    /** Reads the segments of the JPEG starting at the stream's position 0 (which must hold SOI). */
    static JpegHeader scan(ImageInputStream in) throws IOException {
        int orientation = OrientationTag.NONE;
        boolean sawExif = false;
        int components = 0;
        int adobeTransform = -1;
        try {
            in.seek(0);
            if (in.readUnsignedByte() != 0xFF || in.readUnsignedByte() != SOI) {
                return new JpegHeader(orientation, components, adobeTransform);
            }
            while (true) {
                if (in.readUnsignedByte() != 0xFF) {
                    break;
                }
                int marker = in.readUnsignedByte();
                while (marker == 0xFF) {
                    marker = in.readUnsignedByte();
                }
                if (marker == SOS || marker == EOI || marker == 0) {
                    break;
                }
                if (marker == TEM || marker >= 0xD0 && marker <= 0xD7) {
                    continue;
                }
                int length = in.readUnsignedShort();
                if (length < 2) {
                    break;
                }
                long payload = in.getStreamPosition();
                long end = payload + length - 2;
                if (marker == APP1 && !sawExif && startsWith(in, EXIF, length - 2)) {
                    sawExif = true;
                    orientation = OrientationTag.read(in, payload + EXIF.length, end);
                } else if (marker == APP14 && length - 2 > ADOBE_TRANSFORM_OFFSET && startsWith(in, ADOBE, length - 2)) {
                    in.seek(payload + ADOBE_TRANSFORM_OFFSET);
                    adobeTransform = in.readUnsignedByte();
                } else if (isStartOfFrame(marker) && length - 2 >= 6) {
                    in.seek(payload + 5);
                    components = in.readUnsignedByte();
                }
                in.seek(end);
            }
        } catch (EOFException e) {
            // a file cut short inside its headers: keep what was read
        }
        return new JpegHeader(orientation, components, adobeTransform);
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** Whether the payload at the stream's position (of {@code available} bytes) begins with {@code prefix}. */
    private static boolean startsWith(ImageInputStream in, byte[] prefix, int available) throws IOException {
        if (available < prefix.length) {
            return false;
        }
        byte[] head = new byte[prefix.length];
        in.readFully(head);
        return Arrays.equals(head, prefix);
    }
}
