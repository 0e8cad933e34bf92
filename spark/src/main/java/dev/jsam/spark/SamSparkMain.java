package dev.jsam.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bin/sam-spark and the main class of the spark-submit jar: {@code amg} (segment everything over
 * a file, folder or glob of images) and {@code predict} (a table of prompts), each writing Parquet
 * or JSON Lines. Arguments, options, the input and the output are checked before Spark starts
 * work; exits 0 when done, 2 for bad input (one line on stderr), 1 when the job fails or no image
 * could be segmented. The Spark session is the one spark-submit configures, else local[*].
 */
public final class SamSparkMain {
    private static final Set<String> COMMON = Set.of("--checkpoint", "--output", "--master", "--format", "--partitions",
            "--threads", "--device");
    /** Option keys set by switches (--ignore-exif-orientation, --hq-token-only, --single), not by a value. */
    private static final Set<String> SWITCH_KEYS = Set.of("ignore_exif_orientation", "hq_token_only", "multimask_output");
    private static final String USAGE = """
            usage: sam-spark amg --checkpoint C --input FILE|FOLDER|GLOB --output OUT [--format parquet|jsonl]
                                 [--master local[N]] [--partitions N] [--threads N] [--device D] [--convert-to-rle]
                                 [--ignore-exif-orientation] [--memory-mb M]
                                 [--points-per-side 32] [--points-per-batch 64] [--pred-iou-thresh 0.88] ...
                   sam-spark predict --checkpoint C --prompts TABLE --output OUT [--prompts-format jsonl|parquet]
                                 [--single] [--hq-token-only] [--ignore-exif-orientation] [--format parquet|jsonl]
                                 [--master M] [--partitions N] [--threads N] [--device D]

            amg writes one row per mask (path, mask_index, segmentation {size, counts} as COCO RLE, area,
            bbox, predicted_iou, point_coords, stability_score, crop_box) and one row (path, error) per
            image that could not be segmented. predict reads rows of path, point_coords [[x, y], ...],
            point_labels [1, 0, ...] and box [x0, y0, x1, y1] and writes them with their masks and error.

              --output OUT       a new folder (Parquet or JSON Lines part files, committed by Spark)
              --format F         parquet (default) or jsonl
              --master M         Spark master when not run by spark-submit (local[*])
              --partitions N     spread the images over N tasks (min(images, 20 per task slot));
                                 predict: the images' prompt groups (spark.default.parallelism)
              --threads N        threads per task: spark.task.cpus (1)
              --convert-to-rle   accepted for `sam amg` compatibility: masks are always COCO RLE
              --single           predict: one mask per prompt instead of three
            """;

    private SamSparkMain() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(code);
    }

    /** Runs a command; the Spark session stays open for the caller. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0 || List.of("--help", "-h", "help").contains(args[0])
                    || Arrays.asList(args).contains("--help")) {
                out.print(USAGE + optionsHelp());
                return args.length == 0 ? 2 : 0;
            }
            List<String> rest = Arrays.asList(args).subList(1, args.length);
            return switch (args[0]) {
                case "amg" -> amg(new CliArgs(rest, valued(SamOptions.PROMPT_KEYS, "--input"),
                        Set.of("--convert-to-rle", "--ignore-exif-orientation")), err);
                case "predict" -> predict(new CliArgs(rest, valued(SamOptions.AMG_KEYS, "--prompts", "--prompts-format"),
                        Set.of("--single", "--hq-token-only", "--ignore-exif-orientation")), err);
                default -> throw new CliArgs.Usage("unknown command '" + args[0] + "': amg or predict (see --help)");
            };
        } catch (CliArgs.Usage | IllegalArgumentException e) {
            err.println("sam-spark: " + ErrorText.of(e));
            return 2;
        } catch (RuntimeException | IOException e) {
            err.println("sam-spark: " + ErrorText.of(rootCause(e)));
            if (System.getenv("JSAM_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static int amg(CliArgs a, PrintStream err) throws IOException {
        Job job = Job.start(a, err);
        String input = job.input(a.require("--input"), "--input");
        String[] files = SamSpark.files(job.spark, input);
        if (files.length == 0) {
            throw new CliArgs.Usage("--input " + input + ": no files to segment");
        }
        Dataset<Row> images = SamSpark.paths(job.spark, files, a.has("--partitions") ? a.positive("--partitions", 1) : 0);
        Tally tally = new Tally(job.spark.sparkContext());
        return job.write(SamSpark.segmentEverything(images, job.options, tally), tally, files.length, err);
    }

    private static int predict(CliArgs a, PrintStream err) throws IOException {
        Job job = Job.start(a, err);
        String table = job.input(a.require("--prompts"), "--prompts");
        String format = a.get("--prompts-format", table.endsWith(".json") || table.endsWith(".jsonl") ? "jsonl" : "parquet");
        Dataset<Row> prompts = switch (format) {
            case "jsonl" -> job.spark.read().json(table);
            case "parquet" -> job.spark.read().parquet(table);
            default -> throw new CliArgs.Usage("--prompts-format must be jsonl or parquet, got " + format);
        };
        int partitions = a.positive("--partitions", job.spark.sparkContext().defaultParallelism());
        Tally tally = new Tally(job.spark.sparkContext());
        return job.write(SamSpark.predict(prompts, job.options, partitions, tally), tally, -1, err);
    }

    /** The flags that take a value: the common ones, the command's own, and those of the option keys the other command alone reads. */
    private static Set<String> valued(Set<String> otherCommandsKeys, String... own) {
        Set<String> s = new HashSet<>(COMMON);
        s.addAll(List.of(own));
        for (String key : SamOptions.KEYS.keySet()) {
            if (!otherCommandsKeys.contains(key) && !SWITCH_KEYS.contains(key)) {
                s.add(CliArgs.flag(key));
            }
        }
        return s;
    }

    private static String optionsHelp() {
        StringBuilder b = new StringBuilder("\noptions of the model, of reading images and of segment everything"
                + " (as `sam amg` and `sam predict`):\n");
        SamOptions.KEYS.forEach((key, what) -> {
            if (!key.equals("multimask_output")) {
                String flag = CliArgs.flag(key) + (SWITCH_KEYS.contains(key) ? "" : " V");
                b.append(String.format("  %-34s %s%n", flag, what));
            }
        });
        return b.toString();
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** What both commands share: options, the output, the session and the summary. */
    private record Job(SparkSession spark, SamOptions options, String output, String format, Configuration hadoop) {
        static Job start(CliArgs a, PrintStream err) throws IOException {
            Map<String, String> keys = a.samOptions();
            if (a.has("--single")) {
                keys.put("multimask_output", "false");
            }
            SamOptions options;
            try {
                options = SamOptions.of(keys);
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                for (String key : SamOptions.KEYS.keySet()) {
                    m = m.replaceAll("\\b" + key + "\\b", CliArgs.flag(key));
                }
                throw new CliArgs.Usage(m);
            }
            String format = a.get("--format", "parquet");
            if (!SamSpark.FORMATS.contains(format)) {
                throw new CliArgs.Usage("--format must be parquet or jsonl, got " + format);
            }
            String output = a.require("--output");
            SparkSession.Builder builder = SparkSession.builder().appName("sam-spark");
            String master = a.get("--master", System.getProperty("spark.master", "local[*]"));
            builder.master(master);
            if (a.has("--threads")) {
                builder.config("spark.task.cpus", a.positive("--threads", 1));
            }
            if (master.startsWith("local")) {
                builder.config("spark.ui.enabled", System.getProperty("spark.ui.enabled", "false"));
            }
            builder.config("spark.ui.showConsoleProgress", "true");
            SparkSession spark = builder.getOrCreate();
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
            if (out.getFileSystem(hadoop).exists(out)) {
                throw new CliArgs.Usage("--output " + output + " already exists; give a new folder");
            }
            if (options.memoryMb() > 0 && master.startsWith("local")
                    && (long) options.memoryMb() << 20 > Runtime.getRuntime().maxMemory()) {
                throw new CliArgs.Usage("--memory-mb " + options.memoryMb() + " is more than the JVM's maximum heap ("
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MB); start it with a larger -Xmx"
                        + " (JSAM_JAVA_OPTS=-Xmx" + (options.memoryMb() / 1024 + 2) + "g for bin/sam-spark)");
            }
            SamLibrary.Checkpoint mapped = onDriver("--checkpoint " + options.checkpoint(), master, err,
                    () -> ExecutorModels.checkpoint(options.checkpoint(), hadoop));
            if (mapped != null && options.hqTokenOnly() && !mapped.hq()) {
                throw new CliArgs.Usage("--hq-token-only applies to HQ-SAM checkpoints; " + options.checkpoint() + " is "
                        + mapped.modelName() + ", with SAM's mask decoder");
            }
            onDriver("--device " + options.device(), master, err, () -> {
                SamLibrary.checkDevice(options.device());
                return null;
            });
            return new Job(spark, options, output, format, hadoop);
        }

        /**
         * Something the executors will need, checked here: an error in local mode, else a warning
         * (executors may differ) and null.
         */
        private static <T> T onDriver(String what, String master, PrintStream err, Check<T> check) {
            try {
                return check.run();
            } catch (IOException | RuntimeException e) {
                if (master.startsWith("local")) {
                    throw new CliArgs.Usage(what + ": " + ErrorText.of(e));
                }
                err.println("sam-spark: warning: " + what + " does not work on the driver (" + ErrorText.of(e)
                        + "); the executors must have it");
                return null;
            }
        }

        /** A check that may fail. */
        @FunctionalInterface
        private interface Check<T> {
            T run() throws IOException;
        }

        /** The input path or glob, which must match something. */
        String input(String path, String flag) throws IOException {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            FileSystem fs = p.getFileSystem(hadoop);
            var matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw new CliArgs.Usage(flag + " " + path + ": no such file or folder");
            }
            return path;
        }

        /**
         * Writes the rows of {@code inputs} images (-1: prompts); on failure removes what the job
         * left. Prints a summary from what the tasks counted in {@code tally}.
         */
        int write(Dataset<Row> rows, Tally tally, long inputs, PrintStream err) throws IOException {
            org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(output);
            try {
                SamSpark.write(rows, output, format);
            } catch (RuntimeException e) {
                out.getFileSystem(hadoop).delete(out, true);
                throw e;
            }
            return Summary.print(tally, inputs, output, err);
        }
    }
}
