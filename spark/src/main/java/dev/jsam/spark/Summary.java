package dev.jsam.spark;

import java.io.PrintStream;
import java.util.List;

/**
 * The lines bin/sam-spark prints when a job is written, from what its tasks counted ({@link
 * Tally}): how many images (or prompts) and masks, how many errors, and the first few error rows.
 * Its result is the exit code: 1 when nothing could be segmented, else 0.
 */
final class Summary {
    private static final int ERRORS_SHOWN = 5;

    private Summary() {
    }

    /** Prints what the job wrote to {@code output} from {@code inputs} images (segment everything) or from prompts (-1). */
    static int print(Tally tally, long inputs, String output, PrintStream err) {
        if (inputs >= 0) {
            err.printf("sam-spark: %d image(s): %d mask(s) on %d, %d could not be segmented; written to %s%n",
                    inputs, tally.masks(), tally.done(), tally.errors(), output);
        } else {
            err.printf("sam-spark: %d prompt(s) on %d image(s) answered, %d not; written to %s%n", tally.done(),
                    tally.images(), tally.errors(), output);
        }
        List<String> errors = tally.firstErrors();
        errors.stream().limit(ERRORS_SHOWN).forEach(e -> err.println("  " + e));
        if (tally.errors() > ERRORS_SHOWN) {
            err.println("  ... (the error column has them all)");
        }
        return tally.done() == 0 && tally.errors() > 0 ? 1 : 0;
    }
}
