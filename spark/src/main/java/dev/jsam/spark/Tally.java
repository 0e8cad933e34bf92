package dev.jsam.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * What a job's tasks did, counted as they run with Spark accumulators, so that bin/sam-spark can
 * say what it wrote without reading the output back: images (prompt mode: prompts) with results,
 * masks, error rows, distinct images of prompts, and the first few errors. Spark merges a result
 * task's updates once, from the attempt that succeeded, so a retried task does not count twice.
 */
final class Tally implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Errors each task keeps for the summary. */
    static final int ERRORS_KEPT = 5;
    private final LongAccumulator done;
    private final LongAccumulator masks;
    private final LongAccumulator errors;
    private final LongAccumulator images;
    private final CollectionAccumulator<String> firstErrors;

    Tally(SparkContext sc) {
        done = sc.longAccumulator("jsam images or prompts done");
        masks = sc.longAccumulator("jsam masks");
        errors = sc.longAccumulator("jsam errors");
        images = sc.longAccumulator("jsam images of prompts");
        firstErrors = sc.collectionAccumulator("jsam first errors");
    }

    /** Segment everything gave an image {@code n} masks (its rows; none when nothing passed the thresholds). */
    void segmented(int n) {
        if (n > 0) {
            done.add(1);
            masks.add(n);
        }
    }

    /** Prompt mode: a prompt was answered with {@code n} masks. */
    void answered(int n) {
        done.add(1);
        masks.add(n);
    }

    /** Prompt mode: the prompts moved on to another image. */
    void image() {
        images.add(1);
    }

    /** An error row: an image (or a prompt) without results, and why. */
    void error(String path, String reason) {
        errors.add(1);
        if (firstErrors.value().size() < ERRORS_KEPT) {
            firstErrors.add(path + ": " + reason);
        }
    }

    long done() {
        return done.value();
    }

    long masks() {
        return masks.value();
    }

    long errors() {
        return errors.value();
    }

    long images() {
        return images.value();
    }

    /** Some of the errors ("path: reason"), at most {@value #ERRORS_KEPT} per task, sorted. */
    List<String> firstErrors() {
        return firstErrors.value().stream().sorted().toList();
    }
}
