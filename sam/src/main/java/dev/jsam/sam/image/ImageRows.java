package dev.jsam.sam.image;

import java.io.IOException;

/**
 * Where a streamed image's pixels come from, a strip of rows at a time: 8-bit samples, row-major,
 * interleaved (grey: one byte per pixel; RGB: red, green, blue). {@link Images#writePng(int, int,
 * int, int, ImageRows, java.nio.file.Path)} asks for the strips top to bottom, each once.
 */
@FunctionalInterface
public interface ImageRows {
    /** Fills dst[0, (y1 - y0) * width * bands) with rows [y0, y1). */
    void read(int y0, int y1, byte[] dst) throws IOException;
}
