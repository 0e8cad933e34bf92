package dev.jsam.serve;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's compact mask forms. A binary mask travels as uncompressed RLE the way the reference
 * and pycocotools write it: {"size": [h, w], "counts": [...]}, runs over the pixels in column-major
 * order, alternating 0 and 1 and starting with a (possibly empty) run of 0. Low-res logits travel
 * as base64 of little-endian float32 values, row-major.
 */
final class MaskCodec {
    private MaskCodec() {
    }

    /** RLE of a row-major h x w mask (non-zero bytes are in the mask). */
    static Map<String, Object> rle(byte[] mask, int h, int w) {
        List<Integer> counts = new ArrayList<>();
        boolean current = false;
        int run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean on = mask[y * w + x] != 0;
                if (on != current) {
                    counts.add(run);
                    run = 0;
                    current = on;
                }
                run++;
            }
        }
        counts.add(run);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("size", List.of(h, w));
        out.put("counts", counts);
        return out;
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
