package dev.jsam.sam.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;

/**
 * The TIFF-structure reader on well-formed and hostile EXIF blocks: both byte orders, the block
 * found at an offset inside a larger stream, and every way of lying about offsets and lengths.
 * A malformed block is "no tag", never an exception, and nothing outside the block is read.
 */
class OrientationTagTest {

    private static int read(byte[] block) throws IOException {
        return readAt(block, 0, block.length);
    }

    /** Reads the block placed at {@code start} of a stream whose bytes after {@code end} are 0xEE filler. */
    private static int readAt(byte[] block, int start, int end) throws IOException {
        byte[] bytes = new byte[end + 64];
        Arrays.fill(bytes, (byte) 0xEE);
        System.arraycopy(block, 0, bytes, start, Math.min(block.length, end - start));
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ByteOrder before = in.getByteOrder();
            int tag = OrientationTag.read(in, start, end);
            assertEquals(before, in.getByteOrder(), "the byte order is restored");
            return tag;
        }
    }

    @Test
    void readsTheTagInBothByteOrdersAtAnyOffset() throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (int v = 1; v <= 8; v++) {
                byte[] block = ExifFiles.exif(order, new ExifFiles.Entry(0x0100, ExifFiles.LONG, 1, 800),
                        ExifFiles.Entry.orientation(v));
                assertEquals(v, read(block));
                assertEquals(v, readAt(block, 17, 17 + block.length));
            }
        }
    }

    @Test
    void noOrientationEntryIsNone() throws IOException {
        assertEquals(OrientationTag.NONE, read(ExifFiles.exif(ByteOrder.BIG_ENDIAN,
                new ExifFiles.Entry(0x0100, ExifFiles.LONG, 1, 800))));
        assertEquals(OrientationTag.NONE, read(ExifFiles.exif(ByteOrder.LITTLE_ENDIAN)));
    }

    @Test
    void badHeadersAreNone() throws IOException {
        byte[] good = ExifFiles.exif(ByteOrder.BIG_ENDIAN, ExifFiles.Entry.orientation(6));
        for (byte[] mark : new byte[][] {{'I', 'M'}, {'M', 'I'}, {'X', 'X'}, {0, 0}}) {
            byte[] bad = good.clone();
            bad[0] = mark[0];
            bad[1] = mark[1];
            assertEquals(OrientationTag.NONE, read(bad), new String(mark));
        }
        byte[] not42 = good.clone();
        not42[3] = 43;
        assertEquals(OrientationTag.NONE, read(not42));
    }

    @Test
    void offsetsPastTheEndAreNone() throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            byte[] good = ExifFiles.exif(order, ExifFiles.Entry.orientation(6));
            for (int ifd : new int[] {good.length - 1, good.length, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF}) {
                byte[] bad = good.clone();
                ByteBuffer.wrap(bad).order(order).putInt(4, ifd);
                assertEquals(OrientationTag.NONE, read(bad), "IFD0 at " + Integer.toUnsignedString(ifd));
            }
            for (int count : new int[] {2, 0xFFFF}) {
                byte[] bad = Arrays.copyOf(good, 8 + 2 + 12);
                ByteBuffer.wrap(bad).order(order).putShort(8, (short) count);
                assertEquals(6, read(bad), "the entries present are read, " + count + " announced");
            }
        }
    }

    /** The entry is found, but the block ends inside it: the filler beyond the end must not be read. */
    @Test
    void everyCutOfTheBlockIsNoneOrTheTag() throws IOException {
        byte[] block = ExifFiles.exif(ByteOrder.LITTLE_ENDIAN, new ExifFiles.Entry(0x010F, 2, 4, 0x41424300),
                ExifFiles.Entry.orientation(8));
        int entryEnd = 8 + 2 + 12 * 2;
        for (int cut = 0; cut <= block.length; cut++) {
            int expected = cut >= entryEnd ? 8 : OrientationTag.NONE;
            assertEquals(expected, readAt(block, 5, 5 + cut), "cut at " + cut);
        }
    }

    @Test
    void randomBlocksNeverThrow() throws IOException {
        Random random = new Random(15);
        byte[] good = ExifFiles.exif(ByteOrder.BIG_ENDIAN, new ExifFiles.Entry(0x010F, 2, 4, 0x41424300),
                ExifFiles.Entry.orientation(6));
        for (int i = 0; i < 20_000; i++) {
            byte[] block = i % 2 == 0 ? good.clone() : new byte[random.nextInt(40)];
            if (i % 2 == 0) {
                for (int k = random.nextInt(4); k >= 0; k--) {
                    block[random.nextInt(block.length)] = (byte) random.nextInt(256);
                }
            } else {
                random.nextBytes(block);
                if (block.length >= 4) {
                    block[0] = block[1] = (byte) (random.nextBoolean() ? 'I' : 'M');
                }
            }
            int tag = read(block);
            assertEquals(tag, tag & 0xFFFF, "a 16-bit value or NONE");
        }
    }
}
