package dev.jsam.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Segment everything over one partition of (path, content) rows, content null where the task is
 * to read the file itself: per image its masks as rows in `sam amg`'s order, or one error row
 * when the image cannot be read, decoded, cut into the asked crops or segmented within the memory
 * budget (checked from its header, as `sam amg` checks each image of a folder). A model of this JVM is
 * borrowed at the first image, on spark.task.cpus threads, and given back when the task ends.
 * The rows depend only on the image and the options, so a retried task gives the same rows.
 */
final class AmgTask implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;
    private final SamOptions options;
    private final Broadcast<HadoopConf> conf;
    private final Tally tally;

    AmgTask(SamOptions options, Broadcast<HadoopConf> conf, Tally tally) {
        this.options = options;
        this.conf = conf;
        this.tally = tally;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> images) {
        TaskModel model = new TaskModel(options, conf.value());
        return new Flatten<>(images, row -> rows(model, row.getString(0), row.isNullAt(1) ? null : (byte[]) row.get(1)));
    }

    private List<Row> rows(TaskModel model, String path, byte[] content) {
        SamLibrary.Checkpoint checkpoint = model.checkpoint();
        SamLibrary.Image image;
        try (SamLibrary.ImageFile file = SamLibrary.imageFile(path, content != null ? content
                : HadoopFiles.read(path, conf.value().get()), options.ignoreExifOrientation())) {
            SamLibrary.Header header = file.header();
            String problem = SamLibrary.cropPlanProblem(options.amg(), header);
            if (problem == null) {
                problem = SamLibrary.memoryProblem(checkpoint, header, options.amg(), options.memoryBytes());
            }
            if (problem != null) {
                return error(path, problem);
            }
            image = file.read();
        } catch (IOException | RuntimeException e) {
            return error(path, ErrorText.of(e));
        }
        List<SamLibrary.Mask> masks;
        try {
            masks = SamLibrary.segmentEverything(model.get(), image, options.amg());
        } catch (IllegalArgumentException e) {
            return error(path, ErrorText.of(e));
        }
        List<Row> rows = new ArrayList<>(masks.size());
        for (int i = 0; i < masks.size(); i++) {
            rows.add(MaskRows.amg(path, i, masks.get(i)));
        }
        tally.segmented(rows.size());
        return rows;
    }

    private List<Row> error(String path, String reason) {
        tally.error(path, reason);
        return List.of(MaskRows.amgError(path, reason));
    }

    /** The task's model, borrowed when first needed and given back when the task completes. */
    static final class TaskModel {
        private final SamOptions options;
        private final HadoopConf conf;
        private ExecutorModels.Lease lease;

        TaskModel(SamOptions options, HadoopConf conf) {
            this.options = options;
            this.conf = conf;
        }

        SamLibrary.Model get() {
            if (lease == null) {
                TaskContext task = TaskContext.get();
                try {
                    lease = ExecutorModels.borrow(options.checkpoint(), options.device(), task.cpus(), conf.get());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                ExecutorModels.Lease borrowed = lease;
                task.addTaskCompletionListener((TaskCompletionListener) context -> borrowed.close());
            }
            return lease.model();
        }

        /** This JVM's mapping of the checkpoint. */
        SamLibrary.Checkpoint checkpoint() {
            try {
                return ExecutorModels.checkpoint(options.checkpoint(), conf.get());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
