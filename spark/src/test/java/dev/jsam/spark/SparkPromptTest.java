package dev.jsam.spark;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.CocoRle;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prompt mode on local[2]: a table of (id, path, point_coords, point_labels, box) comes back with
 * its id and path, three masks per prompt equal, pixel for pixel and IoU for IoU, to jsam's
 * predictor on the same image and prompt, or an error naming the problem (no prompt, labels that
 * do not match the points, a file that is not an image); each image is encoded once.
 */
class SparkPromptTest {
    @TempDir
    Path tmp;

    private static final StructType PROMPTS = new StructType()
            .add("id", DataTypes.IntegerType)
            .add("path", DataTypes.StringType)
            .add("point_coords", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.IntegerType)))
            .add("point_labels", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("box", DataTypes.createArrayType(DataTypes.IntegerType));

    @Test
    void promptsGiveThePredictorsMasksOrAnError() throws Exception {
        Path images = TestSpark.images(tmp.resolve("images"));
        String dog = images.resolve("dog.png").toString();
        String truck = images.resolve("truck.jpg").toString();
        List<Row> prompts = List.of(
                RowFactory.create(1, dog, List.of(List.of(500, 375)), List.of(1), null),
                RowFactory.create(2, dog, null, null, List.of(100, 100, 400, 300)),
                RowFactory.create(3, dog, List.of(List.of(500, 375), List.of(200, 200)), List.of(1, 0), List.of(300, 200, 700, 500)),
                RowFactory.create(4, dog, null, null, null),
                RowFactory.create(5, images.resolve("notes.txt").toString(), List.of(List.of(1, 1)), List.of(1), null),
                RowFactory.create(6, truck, List.of(List.of(150, 100)), null, null),
                RowFactory.create(7, dog, List.of(List.of(500, 375)), List.of(1, 1), null));
        Dataset<Row> table = TestSpark.session().createDataFrame(prompts, PROMPTS);
        int encodedBefore = PromptTask.ENCODED.get();
        List<Row> out = SamSpark.predict(table, SamOptions.of(Map.of("checkpoint", TestSpark.checkpoint())), 2)
                .collectAsList().stream().sorted(Comparator.comparingInt(r -> r.getInt(0))).toList();

        assertEquals(List.of("id", "path", "point_coords", "point_labels", "box", "masks", "error"),
                Arrays.asList(out.get(0).schema().fieldNames()));
        assertEquals(7, out.size());
        assertEquals(2, PromptTask.ENCODED.get() - encodedBefore, "dog.png and truck.jpg encoded once each");

        try (CpuBackend backend = CpuBackend.create(1)) {
            SamPredictor predictor = new SamPredictor(Sam.fromSource(SafetensorsSource.open(Path.of(TestSpark.checkpoint()),
                    backend), backend));
            predictor.setImage(Images.read(Path.of(dog)));
            assertMasks(out.get(0), predictor.predict(new double[] {500, 375}, new int[] {1}, null, null, true, false));
            assertMasks(out.get(1), predictor.predict(null, null, new double[] {100, 100, 400, 300}, null, true, false));
            assertMasks(out.get(2), predictor.predict(new double[] {500, 375, 200, 200}, new int[] {1, 0},
                    new double[] {300, 200, 700, 500}, null, true, false));
            predictor.setImage(Images.read(Path.of(truck)));
            assertMasks(out.get(5), predictor.predict(new double[] {150, 100}, new int[] {1}, null, null, true, false));
        }
        assertError(out.get(3), "a prompt needs point_coords or a box");
        assertError(out.get(4), "not an image");
        assertError(out.get(6), "1 points but 2 labels");
    }

    private static void assertMasks(Row row, SamPredictor.Prediction expected) {
        assertNull(row.getAs("error"));
        List<Row> masks = row.getList(row.fieldIndex("masks"));
        int[] shape = expected.masks().shape(); // C x H x W
        byte[] bits = expected.masks().toByteArray();
        float[] iou = expected.iouPredictions().toFloatArray();
        assertEquals(3, masks.size());
        for (int c = 0; c < 3; c++) {
            Row m = masks.get(c);
            Row seg = m.getAs("segmentation");
            assertEquals(List.of(shape[1], shape[2]), seg.getList(0));
            boolean[] got = CocoRle.decode(seg.getString(1), shape[1], shape[2]).toMask().data();
            boolean[] want = new boolean[got.length];
            int area = 0;
            for (int i = 0; i < want.length; i++) {
                want[i] = bits[c * want.length + i] != 0;
                area += want[i] ? 1 : 0;
            }
            assertArrayEquals(want, got, "mask " + c + " of prompt " + row.getInt(0));
            assertEquals(area, (int) m.getAs("area"));
            assertEquals(iou[c], (double) m.getAs("predicted_iou"), 0.0);
        }
        assertTrue(masks.stream().anyMatch(m -> (int) m.getAs("area") > 0), "some mask is not empty");
    }

    private static void assertError(Row row, String reason) {
        assertNull(row.getAs("masks"));
        String error = row.getAs("error");
        assertTrue(error != null && error.contains(reason), error);
    }
}
