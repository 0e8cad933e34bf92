package dev.jsam.cli;

import dev.jsam.sam.amg.AutomaticMaskGenerator;

import java.io.PrintStream;

/** A one-line progress bar on stderr over the points of each crop, redrawn in place. */
final class ProgressBar implements AutomaticMaskGenerator.Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final String label;

    ProgressBar(PrintStream err, String label) {
        this.err = err;
        this.label = label;
    }

    @Override
    public void update(int crop, int crops, int pointsDone, int pointsTotal) {
        int filled = pointsTotal == 0 ? WIDTH : WIDTH * pointsDone / pointsTotal;
        err.printf("\r%s crop %d/%d [%s%s] %d/%d points", label, crop + 1, crops, "#".repeat(filled),
                ".".repeat(WIDTH - filled), pointsDone, pointsTotal);
        err.flush();
    }
}
