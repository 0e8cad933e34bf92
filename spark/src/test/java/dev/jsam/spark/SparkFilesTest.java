package dev.jsam.spark;

import dev.jsam.sam.Golden;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where executors find the checkpoint: a file shipped with SparkContext.addFile (spark-submit
 * --files) is found by its name alone and gives the rows of the file it ships; a PyTorch .pth
 * gives the rows of its safetensors conversion; a copy through Hadoop's file systems (the path
 * for hdfs:, s3a: ...) arrives whole; a checkpoint found nowhere is an error naming it.
 */
class SparkFilesTest {
    @TempDir
    Path tmp;

    /** Segment everything on truck.jpg (4 x 4 points, every mask kept) with this checkpoint, as sorted JSON rows. */
    private List<String> truckRows(String checkpoint) throws IOException {
        Path images = TestSpark.images(tmp.resolve("images-" + checkpoint.hashCode()));
        Map<String, String> options = SparkAmgTest.options(SparkAmgTest.AMG_FLAGS);
        options.put("checkpoint", checkpoint);
        List<Row> rows = SamSpark.segmentEverything(SamSpark.listImages(TestSpark.session(),
                images.resolve("truck.jpg").toString()), options).collectAsList();
        assertTrue(rows.size() > 3 && rows.stream().allMatch(r -> r.isNullAt(r.fieldIndex("error"))), rows.toString());
        return rows.stream().map(r -> r.json().replace(images.toString(), "IMAGES")).sorted().toList();
    }

    @Test
    void aCheckpointShippedWithFilesIsFoundByItsName() throws IOException {
        Path shipped = Files.copy(Path.of(TestSpark.checkpoint()), tmp.resolve("shipped-tiny.safetensors"));
        TestSpark.session().sparkContext().addFile(shipped.toString());
        assertEquals(truckRows(TestSpark.checkpoint()), truckRows("shipped-tiny.safetensors"));
        assertEquals(1, ExecutorModels.modelsBuilt("shipped-tiny.safetensors"));
    }

    /** A PyTorch .pth is taken as `sam amg` takes it: converted once per JVM, the same rows as its safetensors. */
    @Test
    void aPthCheckpointGivesTheRowsOfItsSafetensors() throws IOException {
        String pth = Golden.testdata("golden/tiny/sam_tiny.pth").toString();
        assertEquals(truckRows(TestSpark.checkpoint()), truckRows(pth));
        assertEquals(1, ExecutorModels.modelsBuilt(pth));
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
