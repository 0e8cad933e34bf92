package dev.jsam.cli;

import dev.jsam.sam.image.RgbImage;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws masks over an image for a person to look at: each mask blended in its own colour,
 * foreground points as green dots, background points as red dots, boxes as outlines.
 */
public final class Overlay {
    /** Distinct, readable colours, cycled through. */
    private static final int[] PALETTE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x7f7f7f,
    };
    private static final float ALPHA = 0.45f;

    private Overlay() {
    }

    /** A colour of the palette for mask i. */
    public static int color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** masks: each H x W row-major, nonzero = inside; points as x, y, label; boxes as x0, y0, x1, y1. */
    public static BufferedImage draw(RgbImage image, List<byte[]> masks, List<double[]> points, List<double[]> boxes) {
        int w = image.width(), h = image.height();
        byte[] rgb = image.toHwcBytes();
        for (int m = 0; m < masks.size(); m++) {
            byte[] mask = masks.get(m);
            int c = color(m);
            int[] col = {(c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF};
            for (int i = 0; i < w * h; i++) {
                if (mask[i] != 0) {
                    for (int k = 0; k < 3; k++) {
                        int v = rgb[3 * i + k] & 0xFF;
                        rgb[3 * i + k] = (byte) Math.round(v * (1 - ALPHA) + col[k] * ALPHA);
                    }
                }
            }
        }
        BufferedImage out = RgbImage.of(w, h, rgb).toBufferedImage();
        Graphics2D g = out.createGraphics();
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
        return out;
    }
}
