package dev.jsam.serve;

import dev.jsam.sam.UpsampledMask;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * The API's compact mask forms. A binary mask travels as uncompressed RLE the way the reference
 * and pycocotools write it: {"size": [h, w], "counts": [...]}, runs over the pixels in column-major
 * order, alternating 0 and 1 and starting with a (possibly empty) run of 0. Low-res logits travel
 * as base64 of little-endian float32 values, row-major.
 */
final class MaskCodec {
    private MaskCodec() {
    }

    /**
     * Writes the mask's uncompressed RLE, {"size": [h, w], "counts": [...]}, computing it a column
     * at a time (the runs are column-major), and returns its area: never more than a column held.
     */
    static long writeRle(UpsampledMask mask, Writer out) throws IOException {
        int h = mask.height(), w = mask.width();
        out.write("{\"size\":[" + h + "," + w + "],\"counts\":[");
        byte[] column = new byte[h];
        byte current = 0;
        long run = 0;
        long area = 0;
        for (int x = 0; x < w; x++) {
            mask.maskColumn(x, column);
            for (int y = 0; y < h; y++) {
                if (column[y] != current) {
                    out.write(run + ",");
                    run = 0;
                    current = column[y];
                }
                run++;
                area += column[y];
            }
        }
        out.write(run + "]}");
        return area;
    }

    static String floatsToBase64(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /** Decodes exactly n little-endian float32 values, or says (400) what is wrong. */
    static float[] base64ToFloats(String text, int n, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, what + " is not valid base64");
        }
        if (bytes.length != n * Float.BYTES) {
            throw new ApiException(400, what + " must be " + n + " float32 values (" + n * Float.BYTES
                    + " bytes), got " + bytes.length + " bytes");
        }
        float[] out = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        for (float f : out) {
            if (!Float.isFinite(f)) {
                throw new ApiException(400, what + " holds a value that is not finite");
            }
        }
        return out;
    }
}
