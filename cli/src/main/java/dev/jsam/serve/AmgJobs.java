package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.jsam.sam.MemoryModel;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.AutomaticMaskGenerator;
import dev.jsam.sam.amg.CropPredictor;
import dev.jsam.sam.amg.MaskPredictions;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.amg.SamCropPredictor;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.io.Json;

import java.io.IOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * "Segment everything" as background jobs, one per image id: POST starts the automatic mask
 * generator on the shared encoder queue and answers 202 at once; GET reports progress (batches of
 * point prompts done out of the total) and, once done, the masks as the reference's annotations
 * with uncompressed RLE, written one annotation at a time. Each job reserves the memory jsam's model
 * says it needs when it is posted (413 if it never could, 503 if not now), and its masks are counted
 * in the {@link MemoryGate} until it is forgotten. The last few jobs are kept; a job is not
 * cancelled when its image is evicted.
 */
final class AmgJobs {
    private static final int KEEP = 8;

    private final Sam model;
    private final ModelGate gate;
    private final AmgParams defaults;
    private final ExecutorService executor;
    private final MemoryGate memory;
    private final Map<String, Job> jobs = new LinkedHashMap<>(16, 0.75f, true);

    AmgJobs(Sam model, AmgParams defaults, ExecutorService executor, ModelGate gate, MemoryGate memory) {
        this.model = model;
        this.gate = gate;
        this.defaults = defaults;
        this.executor = executor;
        this.memory = memory;
    }

    /**
     * One generation's progress and outcome, written by its worker and read by GETs. Its masks stay
     * run-length encoded (4 bytes a run), counted in the memory gate until the job is forgotten, and
     * are written out one annotation at a time when asked for.
     */
    private static final class Job {
        final int total;
        volatile String state = "queued";
        volatile int done;
        volatile List<MaskRecord> masks;
        volatile String error;
        volatile long millis;
        MemoryGate.Reservation kept;
        boolean forgotten;

        Job(int total) {
            this.total = total;
        }

        synchronized Map<String, Object> describe() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("state", state);
            out.put("done", done);
            out.put("total", total);
            if (masks != null) {
                out.put("millis", millis);
            }
            if (error != null) {
                out.put("error", error);
            }
            return out;
        }

        /** The description with the masks as the reference's annotations (uncompressed RLE), streamed. */
        void write(Writer out) throws IOException {
            Map<String, Object> head = describe();
            List<MaskRecord> records = masks;
            String json = Json.write(head);
            if (records == null) {
                out.write(json);
                return;
            }
            out.write(json, 0, json.length() - 1);
            out.write(",\"masks\":[");
            for (int i = 0; i < records.size(); i++) {
                out.write((i == 0 ? "" : ",") + Json.write(Annotations.of(records.get(i),
                        Annotations.OutputMode.UNCOMPRESSED_RLE)));
            }
            out.write("]}");
        }

        /** Heap the kept masks take: their runs, and a record's fixed fields. */
        static long bytes(List<MaskRecord> records) {
            long n = 0;
            for (MaskRecord r : records) {
                n += 4L * r.rle().counts().length + 256;
            }
            return n;
        }
    }

    void handle(HttpExchange ex, CachedImage image, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("GET")) {
            Job job;
            synchronized (jobs) {
                job = jobs.get(image.id());
            }
            if (job == null) {
                throw new ApiException(404, "no automatic masks were started for this image (POST to start)");
            }
            Http.streamJson(ex, job::write);
            return;
        }
        Http.requireMethod(ex, "POST");
        AmgParams params = AmgRequest.parse(body, defaults);
        int points = params.pointsPerSide() * params.pointsPerSide();
        Job job = new Job(1 + (points + params.pointsPerBatch() - 1) / params.pointsPerBatch());
        int w = image.image().width(), h = image.image().height();
        synchronized (jobs) {
            Job old = jobs.get(image.id());
            if (old != null && (old.state.equals("queued") || old.state.equals("running"))) {
                throw new ApiException(409, "automatic masks are already being generated for this image");
            }
            MemoryGate.Reservation working = memory.reserve(MemoryModel.amgBytes(model.config(), w, h, params),
                    "segmenting everything in this " + w + " x " + h + " image");
            try {
                executor.execute(() -> run(job, image, params, working));
            } catch (RejectedExecutionException e) {
                working.close();
                throw new ApiException(503, "busy: too many images are waiting to be processed; try again shortly");
            }
            Job replaced = jobs.put(image.id(), job);
            forget(replaced);
            while (jobs.size() > KEEP) {
                Iterator<Job> oldest = jobs.values().iterator();
                forget(oldest.next());
                oldest.remove();
            }
        }
        Http.sendJson(ex, 202, job.describe());
    }

    /** The masks of one job, counting its crops and point batches as they go (inside the model gate). */
    private List<MaskRecord> generate(Job job, CachedImage image, AmgParams params) {
        CropPredictor crops = new SamCropPredictor(new SamPredictor(model), image.image());
        CropPredictor counted = new CropPredictor() {
            @Override
            public void setCrop(int[] cropBox) {
                crops.setCrop(cropBox);
                job.done++;
            }

            @Override
            public MaskPredictions predict(double[] pointsXY) {
                MaskPredictions p = crops.predict(pointsXY);
                job.done++;
                return p;
            }
        };
        return new AutomaticMaskGenerator(params).generate(image.image().height(), image.image().width(), counted);
    }

    /** Gives back the memory a forgotten job's masks held (none while it runs: its worker counts them). */
    private static void forget(Job job) {
        if (job != null) {
            synchronized (job) {
                if (job.kept != null) {
                    job.kept.close();
                }
                job.kept = null;
                job.masks = null;
                job.forgotten = true;
            }
        }
    }

    private void run(Job job, CachedImage image, AmgParams params, MemoryGate.Reservation working) {
        long t0 = System.nanoTime();
        job.state = "running";
        try (working) {
            List<MaskRecord> records = gate.run(() -> generate(job, image, params));
            synchronized (job) {
                job.millis = (System.nanoTime() - t0) / 1_000_000;
                if (!job.forgotten) {
                    job.masks = records;
                    job.kept = memory.hold(Job.bytes(records));
                }
                job.state = "done";
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            System.err.println("sam serve: automatic masks for " + image.id() + " failed: " + e);
            synchronized (job) {
                job.error = "automatic mask generation failed: " + e.getClass().getSimpleName();
                job.state = "failed";
            }
        }
    }
}
