package dev.jsam.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.PrintStream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;

/**
 * The lines bin/sam-spark prints when a job is written, read back from the committed output:
 * how many images (or prompts) and masks, how many errors, and the first few error rows. Its
 * result is the exit code: 1 when nothing could be segmented, else 0.
 */
final class Summary {
    private static final int ERRORS_SHOWN = 5;

    private Summary() {
    }

    /**
     * Reads back {@code output}, written as {@code format} with {@code schema} from {@code inputs}
     * images (segment everything) or from prompts (-1), and prints what it holds.
     */
    static int print(SparkSession spark, String output, String format, StructType schema, long inputs, PrintStream err) {
        Dataset<Row> rows = spark.read().schema(schema).format(format.equals("jsonl") ? "json" : "parquet").load(output);
        Row counts = rows.agg(countDistinct(col(MaskRows.PATH)), count(inputs >= 0 ? col("mask_index") : col("masks")),
                count(col(MaskRows.ERROR))).first();
        long images = counts.getLong(0);
        long done = counts.getLong(1);
        long errors = counts.getLong(2);
        if (inputs >= 0) {
            err.printf("sam-spark: %d image(s): %d mask(s) on %d, %d could not be segmented; written to %s%n",
                    inputs, done, images - errors, errors, output);
        } else {
            err.printf("sam-spark: %d prompt(s) on %d image(s) answered, %d not; written to %s%n", done, images, errors, output);
        }
        for (Row e : rows.where(col(MaskRows.ERROR).isNotNull()).select(MaskRows.PATH, MaskRows.ERROR).limit(ERRORS_SHOWN)
                .collectAsList()) {
            err.println("  " + e.getString(0) + ": " + e.getString(1));
        }
        if (errors > ERRORS_SHOWN) {
            err.println("  ... (the error column has them all)");
        }
        return done == 0 && errors > 0 ? 1 : 0;
    }
}
