package dev.jsam.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where executors find the checkpoint: a file shipped with SparkContext.addFile (spark-submit
 * --files) is found by its name alone; a copy through Hadoop's file systems (the path for hdfs:,
 * s3a: ...) arrives whole; a checkpoint found nowhere is an error naming it.
 */
class SparkFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aCheckpointShippedWithFilesIsFoundByItsName() throws IOException {
        SparkSession spark = TestSpark.session();
        Path shipped = Files.copy(Path.of(TestSpark.checkpoint()), tmp.resolve("shipped-tiny.safetensors"));
        spark.sparkContext().addFile(shipped.toString());
        Path images = TestSpark.images(tmp.resolve("images"));
        List<Row> rows = SamSpark.segmentEverything(SamSpark.listImages(spark, images.resolve("truck.jpg").toString()),
                SparkAmgTest.options(List.of("--checkpoint", "shipped-tiny.safetensors", "--points-per-side", "2",
                        "--pred-iou-thresh", "0", "--stability-score-thresh", "0"))).collectAsList();
        assertTrue(!rows.isEmpty() && rows.stream().allMatch(r -> r.isNullAt(r.fieldIndex("error"))), rows.toString());
        assertEquals(1, ExecutorModels.modelsBuilt("shipped-tiny.safetensors"));
    }

    @Test
    void hadoopCopiesArriveWhole() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("local"));
        Path copy = HadoopFiles.copyToLocal(Path.of(TestSpark.checkpoint()).toUri().toString(), new Configuration(), dir);
        assertArrayEquals(Files.readAllBytes(Path.of(TestSpark.checkpoint())), Files.readAllBytes(copy));
        assertEquals(List.of(copy.getFileName().toString()), Arrays.asList(dir.toFile().list()), "no partial file left");
    }

    @Test
    void aCheckpointFoundNowhereIsNamed() {
        IOException e = assertThrows(IOException.class,
                () -> ExecutorModels.checkpoint(tmp.resolve("missing.safetensors").toString(), new Configuration()));
        assertTrue(e.getMessage().contains("missing.safetensors") && e.getMessage().contains("--files"), e.getMessage());
    }
}
