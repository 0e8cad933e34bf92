package dev.jsam.spark;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prompts over one partition sorted by image path: the encoder runs once per image and every
 * prompt of it reuses the embedding. Each prompt row comes out with its own columns (content
 * left out), then its masks (COCO RLE, area, box, predicted IoU) or the one-line reason it has
 * none: an image that cannot be read or decoded, a prompt without points or box, a malformed one.
 */
final class PromptTask implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Images this JVM's prompt tasks have encoded (the tests check: once per image). */
    static final AtomicInteger ENCODED = new AtomicInteger();
    private final SamOptions options;
    private final Broadcast<HadoopConf> conf;
    private final Columns columns;
    private final Tally tally;

    /** Where the task finds what it reads in an input row (-1: the column is absent). */
    record Columns(int path, int content, int points, int labels, int box, int[] kept) implements java.io.Serializable {
    }

    PromptTask(SamOptions options, Broadcast<HadoopConf> conf, Columns columns, Tally tally) {
        this.options = options;
        this.conf = conf;
        this.columns = columns;
        this.tally = tally;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> prompts) {
        AmgTask.TaskModel model = new AmgTask.TaskModel(options, conf.value());
        Image current = new Image();
        return new Flatten<>(prompts, row -> List.of(answer(model, current, row)));
    }

    /** The image the last prompts were about: its path, then its embedding or why it has none. */
    private static final class Image {
        String path;
        SamLibrary.Encoded encoded;
        String error;
    }

    private Row answer(AmgTask.TaskModel model, Image image, Row row) {
        String path = row.getString(columns.path());
        if (!Objects.equals(path, image.path)) {
            image.path = path;
            image.encoded = null;
            image.error = null;
            tally.image();
            try {
                byte[] bytes = columns.content() >= 0 && !row.isNullAt(columns.content())
                        ? (byte[]) row.get(columns.content()) : HadoopFiles.read(path, conf.value().get());
                SamLibrary.Image pixels;
                try (SamLibrary.ImageFile file = SamLibrary.imageFile(path, bytes, options.ignoreExifOrientation())) {
                    pixels = file.read();
                }
                image.encoded = SamLibrary.encode(model.get(), pixels, options.hqTokenOnly());
                ENCODED.incrementAndGet();
            } catch (IOException | IllegalArgumentException e) {
                image.error = ErrorText.of(e);
            }
        }
        if (image.error != null) {
            return result(row, null, image.error);
        }
        try {
            double[] points = points(row);
            double[] box = doubles(row, columns.box());
            if (points == null && box == null) {
                return result(row, null, "a prompt needs point_coords or a box");
            }
            List<Row> masks = new ArrayList<>();
            for (SamLibrary.PromptMask m : SamLibrary.predict(image.encoded, points, labels(row, points), box,
                    options.multimaskOutput())) {
                masks.add(MaskRows.promptMask(m));
            }
            return result(row, masks, null);
        } catch (IllegalArgumentException e) {
            return result(row, null, ErrorText.of(e));
        }
    }

    private Row result(Row row, List<Row> masks, String error) {
        if (error != null) {
            tally.error(String.valueOf(row.get(columns.path())), error);
        } else {
            tally.answered(masks.size());
        }
        Object[] values = new Object[columns.kept().length + 2];
        for (int i = 0; i < columns.kept().length; i++) {
            values[i] = row.get(columns.kept()[i]);
        }
        values[values.length - 2] = masks == null ? null : masks.toArray(Row[]::new);
        values[values.length - 1] = error;
        return RowFactory.create(values);
    }

    /** point_coords [[x, y], ...] as x0, y0, x1, y1 ...; null when absent or empty. */
    private double[] points(Row row) {
        if (columns.points() < 0 || row.isNullAt(columns.points())) {
            return null;
        }
        List<Object> pts = row.getList(columns.points());
        if (pts.isEmpty()) {
            return null;
        }
        double[] out = new double[2 * pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            List<?> p = pts.get(i) == null ? null : CollectionConverters.asJava((scala.collection.Seq<?>) pts.get(i));
            if (p == null || p.size() != 2 || p.contains(null)) {
                throw new IllegalArgumentException("point " + i + " of point_coords is " + p + ", not [x, y]");
            }
            out[2 * i] = (Double) p.get(0);
            out[2 * i + 1] = (Double) p.get(1);
        }
        return out;
    }

    /** point_labels, or 1 (foreground) for every point when the column is absent or null. */
    private int[] labels(Row row, double[] points) {
        if (points == null) {
            return null;
        }
        if (columns.labels() < 0 || row.isNullAt(columns.labels())) {
            int[] ones = new int[points.length / 2];
            Arrays.fill(ones, 1);
            return ones;
        }
        List<Integer> l = row.getList(columns.labels());
        if (l.contains(null)) {
            throw new IllegalArgumentException("point_labels holds a null: each label is 1 (foreground) or 0 (background)");
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] doubles(Row row, int column) {
        if (column < 0 || row.isNullAt(column)) {
            return null;
        }
        List<Double> l = row.getList(column);
        if (l.contains(null)) {
            throw new IllegalArgumentException("box holds a null: a box is x0, y0, x1, y1");
        }
        return l.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
