package dev.jsam.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * Segment Anything over Spark Datasets, the entry point of this module. Images are rows with a
 * string {@code path} and, optionally, the file's bytes as binary {@code content} (as Spark's
 * binaryFile source gives them); without content each task reads the file itself. Transformations
 * are lazy like any Dataset's; {@link #write} commits the rows through Spark's commit protocol.
 */
public final class SamSpark {
    /** Output formats: Parquet, or JSON Lines (one JSON object per line). */
    public static final List<String> FORMATS = List.of("parquet", "jsonl");
    private static final String POINTS = "point_coords", LABELS = "point_labels", BOX = "box";

    private SamSpark() {
    }

    /**
     * How many tasks per task slot the images are spread over by default: a slot's last task can
     * keep the job waiting while other slots idle, so tasks are kept to about 1/20 of a slot's work
     * (and to one image each when there are fewer images than that).
     */
    static final int TASKS_PER_SLOT = 20;

    /** {@link #listImages(SparkSession, String, int)} with the default number of partitions. */
    public static Dataset<Row> listImages(SparkSession spark, String input) {
        return listImages(spark, input, 0);
    }

    /**
     * The image files of a file, a folder (its files; names starting with . or _ are skipped, as
     * Spark's file sources skip them) or a glob, on any file system Spark reads: a {@code path}
     * column only (tasks read the files), sorted, in {@code partitions} partitions of consecutive
     * paths; 0 asks for min(files, {@value #TASKS_PER_SLOT} per task slot). Listed on the driver,
     * like any Spark file source.
     */
    public static Dataset<Row> listImages(SparkSession spark, String input, int partitions) {
        return paths(spark, files(spark, input), partitions);
    }

    /** The files {@link #listImages} lists, sorted. */
    static String[] files(SparkSession spark, String input) {
        String[] files = spark.read().format("binaryFile").load(input).inputFiles();
        Arrays.sort(files);
        return files;
    }

    /** The files as a {@code path} table in {@code partitions} slices (0: the default), without a shuffle. */
    static Dataset<Row> paths(SparkSession spark, String[] files, int partitions) {
        int slots = Math.max(1, spark.sparkContext().defaultParallelism() / spark.sparkContext().getConf().getInt("spark.task.cpus", 1));
        int slices = partitions > 0 ? partitions : Math.max(1, Math.min(files.length, TASKS_PER_SLOT * slots));
        List<Row> rows = Arrays.stream(files).map(f -> RowFactory.create(f)).toList();
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices);
        return spark.createDataFrame(rdd, new StructType().add(MaskRows.PATH, DataTypes.StringType, false));
    }

    /** {@link #segmentEverything(Dataset, SamOptions)} with options as key/value strings. */
    public static Dataset<Row> segmentEverything(Dataset<Row> images, Map<String, String> options) {
        return segmentEverything(images, SamOptions.of(options));
    }

    /**
     * One row per mask, in `sam amg`'s order within each image (schema: {@code MaskRows.AMG}:
     * path, mask_index, segmentation {size, counts}, area, bbox, predicted_iou, point_coords,
     * stability_score, crop_box, error), and one error row (path and error) per image that could
     * not be segmented. An image where no mask passes the thresholds has no row.
     */
    public static Dataset<Row> segmentEverything(Dataset<Row> images, SamOptions options) {
        return segmentEverything(images, options, new Tally(images.sparkSession().sparkContext()));
    }

    /** {@link #segmentEverything(Dataset, SamOptions)}, its tasks counting what they do in {@code tally}. */
    static Dataset<Row> segmentEverything(Dataset<Row> images, SamOptions options, Tally tally) {
        requireColumn(images.schema(), MaskRows.PATH, DataTypes.StringType);
        Column content = images.schema().getFieldIndex(MaskRows.CONTENT).isDefined()
                ? typed(MaskRows.CONTENT, DataTypes.BinaryType)
                : lit(null).cast(DataTypes.BinaryType).as(MaskRows.CONTENT);
        Dataset<Row> input = images.select(col(MaskRows.PATH), content);
        return input.mapPartitions(new AmgTask(options, hadoopConf(images.sparkSession()), tally),
                Encoders.row(MaskRows.AMG));
    }

    /**
     * Prompts: rows with {@code path} (and optionally {@code content}), {@code point_coords}
     * ([[x, y], ...] in image pixels), {@code point_labels} (1 foreground, 0 background; all 1 when
     * absent) and {@code box} ([x0, y0, x1, y1]), any other columns passed through. Each comes out
     * with its columns (content left out; those four cast to arrays of double, int and double), then {@code masks} (segmentation, area, bbox,
     * predicted_iou; three per prompt, or one with multimask_output false) and {@code error}. The
     * rows are grouped by path into {@code partitions} partitions so each image is encoded once.
     */
    public static Dataset<Row> predict(Dataset<Row> prompts, SamOptions options, int partitions) {
        return predict(prompts, options, partitions, new Tally(prompts.sparkSession().sparkContext()));
    }

    /** {@link #predict(Dataset, SamOptions, int)}, its tasks counting what they do in {@code tally}. */
    static Dataset<Row> predict(Dataset<Row> prompts, SamOptions options, int partitions, Tally tally) {
        StructType schema = prompts.schema();
        requireColumn(schema, MaskRows.PATH, DataTypes.StringType);
        List<Column> columns = new ArrayList<>();
        for (StructField f : schema.fields()) {
            columns.add(switch (f.name()) {
                case MaskRows.CONTENT -> typed(f.name(), DataTypes.BinaryType);
                case POINTS -> typed(f.name(), DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType)));
                case LABELS -> typed(f.name(), DataTypes.createArrayType(DataTypes.IntegerType));
                case BOX -> typed(f.name(), DataTypes.createArrayType(DataTypes.DoubleType));
                default -> col(f.name());
            });
        }
        Dataset<Row> grouped = prompts.select(columns.toArray(Column[]::new))
                .repartition(partitions, col(MaskRows.PATH)).sortWithinPartitions(MaskRows.PATH);
        List<String> names = Arrays.asList(schema.fieldNames());
        int[] kept = IntStream.range(0, names.size())
                .filter(i -> !names.get(i).equals(MaskRows.CONTENT)).toArray();
        StructType out = new StructType();
        for (int i : kept) {
            out = out.add(grouped.schema().fields()[i]);
        }
        for (StructField f : MaskRows.PROMPT_RESULT.fields()) {
            if (names.contains(f.name())) {
                throw new IllegalArgumentException("the prompts already have a column " + f.name() + ", which the results add");
            }
            out = out.add(f);
        }
        PromptTask.Columns where = new PromptTask.Columns(names.indexOf(MaskRows.PATH), names.indexOf(MaskRows.CONTENT),
                names.indexOf(POINTS), names.indexOf(LABELS), names.indexOf(BOX), kept);
        return grouped.mapPartitions(new PromptTask(options, hadoopConf(prompts.sparkSession()), where, tally),
                Encoders.row(out));
    }

    /**
     * Writes rows as {@code format} (parquet or jsonl) into the new folder {@code output} through
     * Spark's commit protocol (the file output committer's algorithm 1: task outputs are moved into
     * place when the job commits, so a failed job leaves no rows behind). An existing output is an
     * error.
     */
    public static void write(Dataset<Row> rows, String output, String format) {
        String source = switch (format.toLowerCase(Locale.ROOT)) {
            case "parquet" -> "parquet";
            case "jsonl" -> "json";
            default -> throw new IllegalArgumentException("format must be one of " + FORMATS + ", got " + format);
        };
        rows.write().format(source).mode(SaveMode.ErrorIfExists)
                .option("mapreduce.fileoutputcommitter.algorithm.version", "1")
                .save(output);
    }

    private static Broadcast<HadoopConf> hadoopConf(SparkSession spark) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return sc.broadcast(new HadoopConf(sc.hadoopConfiguration()));
    }

    private static void requireColumn(StructType schema, String name, DataType type) {
        if (!schema.getFieldIndex(name).isDefined() || !schema.apply(name).dataType().equals(type)) {
            throw new IllegalArgumentException("the input needs a " + type.simpleString() + " column " + name
                    + "; their columns are " + schema.simpleString());
        }
    }

    /** The column cast to {@code type} under its own name (Spark's analysis refuses an impossible cast). */
    private static Column typed(String name, DataType type) {
        return col(name).cast(type).as(name);
    }
}
