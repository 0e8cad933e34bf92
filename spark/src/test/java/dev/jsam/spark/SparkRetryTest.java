package dev.jsam.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A task that dies once, after its first row has reached the Parquet writer, is retried
 * (local[2,2] allows one failure per task) and the committed output holds exactly the rows of a
 * run without failure: none lost, none twice, the failed attempt's partial file not committed;
 * the counts bin/sam-spark's summary prints leave the failed attempt out too.
 */
class SparkRetryTest {
    /** Failures injected in this JVM (local mode: the tasks run here). */
    static final AtomicInteger INJECTED = new AtomicInteger();

    @TempDir
    Path tmp;

    /** Passes rows through; the first attempt of partition 0 (cut.png's error row, then dog.png's masks) throws at its second row. */
    static final class FailFirstAttempt implements MapFunction<Row, Row> {
        @Serial
        private static final long serialVersionUID = 1L;
        private int seen;

        @Override
        public Row call(Row row) {
            TaskContext task = TaskContext.get();
            if (task.partitionId() == 0 && task.attemptNumber() == 0 && ++seen == 2) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("injected failure of the first attempt");
            }
            return row;
        }
    }

    @Test
    void aTaskFailingOnceIsRetriedAndTheOutputIsTheSame() throws IOException {
        SparkSession spark = TestSpark.session();
        Path images = TestSpark.images(tmp.resolve("images"));
        Dataset<Row> masks = SamSpark.segmentEverything(SamSpark.listImages(spark, images.toString(), 2),
                SparkAmgTest.options(SparkAmgTest.AMG_FLAGS));
        List<String> expected = json(masks);
        assertTrue(expected.size() > 50, "rows: " + expected.size());

        String out = tmp.resolve("out").toString();
        Tally tally = new Tally(spark.sparkContext());
        SamSpark.write(SamSpark.segmentEverything(SamSpark.listImages(spark, images.toString(), 2),
                SamOptions.of(SparkAmgTest.options(SparkAmgTest.AMG_FLAGS)), tally)
                .map(new FailFirstAttempt(), Encoders.row(MaskRows.AMG)), out, "parquet");
        assertEquals(1, INJECTED.get(), "one attempt failed");
        assertEquals(expected, json(spark.read().schema(MaskRows.AMG).parquet(out)));
        long errors = expected.stream().filter(r -> r.contains("\"error\":\"")).count();
        assertEquals(2, errors, "cut.png and notes.txt");
        assertEquals(List.of(expected.size() - errors, 2L, 2L), List.of(tally.masks(), tally.done(), tally.errors()),
                "the summary's counts: the failed attempt's are not added");
    }

    /** The rows as JSON, sorted (by path, then mask_index). */
    private static List<String> json(Dataset<Row> rows) {
        return rows.collectAsList().stream().map(Row::json).sorted().toList();
    }
}
