package dev.jsam.cli;

import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws masks over an image for a person to look at, written as a PNG a strip of rows at a time:
 * each mask blended in its own colour (in mask order), foreground points as green dots, background
 * points as red dots, boxes as outlines. The masks are read a strip at a time too ({@link MaskRows}),
 * so beside the image itself it holds one strip of the overlay and of a mask (about 1 MB), never
 * a full-size copy.
 */
public final class Overlay {
    /** Distinct, readable colours, cycled through. */
    private static final int[] PALETTE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x7f7f7f,
    };
    private static final float ALPHA = 0.45f;
    /** Bytes of RGB a strip should hold. */
    private static final int STRIP_BYTES = 1 << 20;

    /** Where the masks come from: rows [y0, y1) of mask i, row-major, nonzero inside, into dst. */
    @FunctionalInterface
    public interface MaskRows {
        void read(int mask, int y0, int y1, byte[] dst) throws IOException;
    }

    private Overlay() {
    }

    /** A colour of the palette for mask i. */
    public static int color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Writes the overlay of {@code count} masks, points (x, y, label) and boxes (x0, y0, x1, y1) as a PNG. */
    public static void write(RgbImage image, int count, MaskRows masks, List<double[]> points, List<double[]> boxes,
                             Path file) throws IOException {
        int w = image.width(), h = image.height();
        int strip = Math.max(1, Math.min(h, STRIP_BYTES / (3 * w)));
        byte[] mask = new byte[strip * w];
        byte[][] blend = new byte[PALETTE.length][];
        for (int c = 0; c < PALETTE.length; c++) {
            blend[c] = blendTable(PALETTE[c]);
        }
        BufferedImage canvas = points.isEmpty() && boxes.isEmpty() ? null
                : new BufferedImage(w, strip, BufferedImage.TYPE_3BYTE_BGR);
        Images.writePng(w, h, 3, strip, (y0, y1, rgb) -> {
            image.copyRows(y0, y1, rgb, 0);
            int n = (y1 - y0) * w;
            for (int m = 0; m < count; m++) {
                masks.read(m, y0, y1, mask);
                byte[] table = blend[m % PALETTE.length];
                for (int i = 0; i < n; i++) {
                    if (mask[i] != 0) {
                        for (int k = 0; k < 3; k++) {
                            rgb[3 * i + k] = table[3 * (rgb[3 * i + k] & 0xFF) + k];
                        }
                    }
                }
            }
            if (canvas != null) {
                drawPrompts(canvas, rgb, y0, y1, w, h, points, boxes);
            }
        }, file);
    }

    /** For each sample value v and channel k, the value blended with the colour: table[3 * v + k]. */
    private static byte[] blendTable(int color) {
        int[] col = {(color >> 16) & 0xFF, (color >> 8) & 0xFF, color & 0xFF};
        byte[] t = new byte[256 * 3];
        for (int v = 0; v < 256; v++) {
            for (int k = 0; k < 3; k++) {
                t[3 * v + k] = (byte) Math.round(v * (1 - ALPHA) + col[k] * ALPHA);
            }
        }
        return t;
    }

    /**
     * Draws the points and boxes onto rows [y0, y1) (RGB, in place) through a strip-sized canvas
     * shifted to those rows, so each strip gets exactly its part of the shapes.
     */
    private static void drawPrompts(BufferedImage canvas, byte[] rgb, int y0, int y1, int w, int h,
                                    List<double[]> points, List<double[]> boxes) {
        byte[] bgr = ((DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        int n = 3 * (y1 - y0) * w;
        for (int i = 0; i < n; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        Graphics2D g = canvas.createGraphics();
        g.setClip(0, 0, w, y1 - y0);
        g.translate(0, -y0);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float scale = Math.max(1f, Math.max(w, h) / 800f);
        g.setStroke(new BasicStroke(2.5f * scale));
        for (double[] b : boxes) {
            g.setColor(new Color(0x00e5ff));
            g.drawRect((int) Math.round(b[0]), (int) Math.round(b[1]), (int) Math.round(b[2] - b[0]),
                    (int) Math.round(b[3] - b[1]));
        }
        int r = Math.round(6 * scale);
        for (double[] p : points) {
            g.setColor(p[2] > 0 ? new Color(0x22cc44) : new Color(0xee2222));
            g.fillOval((int) Math.round(p[0]) - r, (int) Math.round(p[1]) - r, 2 * r, 2 * r);
            g.setColor(Color.WHITE);
            g.drawOval((int) Math.round(p[0]) - r, (int) Math.round(p[1]) - r, 2 * r, 2 * r);
        }
        g.dispose();
        for (int i = 0; i < n; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
    }
}
