package dev.jsam.sam.image;

/**
 * The eight values of the EXIF/TIFF Orientation tag (274) and how each turns the stored pixels
 * into the picture a viewer shows. Each value names where the stored first row and first column
 * lie in that picture (TIFF 6.0, section 8): RIGHT_TOP, for instance, is a photo taken with the
 * camera turned a quarter clockwise, shown upright by rotating it 90 degrees clockwise.
 */
enum Orientation {
    TOP_LEFT,
    TOP_RIGHT,
    BOTTOM_RIGHT,
    BOTTOM_LEFT,
    LEFT_TOP,
    RIGHT_TOP,
    RIGHT_BOTTOM,
    LEFT_BOTTOM;

    /**
     * The orientation a tag value stands for; values outside 1..8 mean "as stored", as OpenCV's
     * imread treats them.
     */
    static Orientation ofTag(int tag) {
        return tag >= 1 && tag <= 8 ? values()[tag - 1] : TOP_LEFT;
    }

    /** Whether the upright picture's width is the stored height (the four transposing values). */
    boolean swapsSides() {
        return ordinal() >= LEFT_TOP.ordinal();
    }

    /** {@code stored} turned upright. */
    RgbImage upright(RgbImage stored) {
        if (this == TOP_LEFT) {
            return stored;
        }
        int w = stored.width();
        int h = stored.height();
        int outW = swapsSides() ? h : w;
        int outH = swapsSides() ? w : h;
        byte[] src = stored.bytes();
        byte[] out = new byte[src.length];
        for (int y = 0, o = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++, o += 3) {
                int i = 3 * sourceIndex(x, y, w, h);
                out[o] = src[i];
                out[o + 1] = src[i + 1];
                out[o + 2] = src[i + 2];
            }
        }
        return RgbImage.wrap(outW, outH, out);
    }

    /** The stored pixel (row-major index in a w x h image) shown at upright (x, y). */
    private int sourceIndex(int x, int y, int w, int h) {
        return switch (this) {
            case TOP_LEFT -> y * w + x;
            case TOP_RIGHT -> y * w + (w - 1 - x);
            case BOTTOM_RIGHT -> (h - 1 - y) * w + (w - 1 - x);
            case BOTTOM_LEFT -> (h - 1 - y) * w + x;
            case LEFT_TOP -> x * w + y;
            case RIGHT_TOP -> (h - 1 - x) * w + y;
            case RIGHT_BOTTOM -> (h - 1 - x) * w + (w - 1 - y);
            case LEFT_BOTTOM -> x * w + (w - 1 - y);
        };
    }
}
