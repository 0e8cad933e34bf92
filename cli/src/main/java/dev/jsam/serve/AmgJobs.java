package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.AutomaticMaskGenerator;
import dev.jsam.sam.amg.CropPredictor;
import dev.jsam.sam.amg.MaskPredictions;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.amg.SamCropPredictor;
import dev.jsam.sam.modeling.Sam;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * "Segment everything" as background jobs, one per image id: POST starts the automatic mask
 * generator on the shared encoder queue and answers 202 at once; GET reports progress (batches of
 * point prompts done out of the total) and, once done, the masks as the reference's annotations
 * with uncompressed RLE. The last few jobs are kept; a job is not cancelled when its image is evicted.
 */
final class AmgJobs {
    private static final int KEEP = 8;

    private final Sam model;
    private final ModelGate gate;
    private final AmgParams defaults;
    private final ExecutorService executor;
    private final Map<String, Job> jobs = new LinkedHashMap<>(16, 0.75f, true);

    AmgJobs(Sam model, AmgParams defaults, ExecutorService executor, ModelGate gate) {
        this.model = model;
        this.gate = gate;
        this.defaults = defaults;
        this.executor = executor;
    }

    /** One generation's progress and outcome, written by its worker and read by GETs. */
    private static final class Job {
        final int total;
        volatile String state = "queued";
        volatile int done;
        volatile List<Map<String, Object>> masks;
        volatile String error;
        volatile long millis;

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
                out.put("masks", masks);
            }
            if (error != null) {
                out.put("error", error);
            }
            return out;
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
            Http.sendJson(ex, 200, job.describe());
            return;
        }
        Http.requireMethod(ex, "POST");
        AmgParams params = AmgRequest.parse(body, defaults);
        int points = params.pointsPerSide() * params.pointsPerSide();
        Job job = new Job(1 + (points + params.pointsPerBatch() - 1) / params.pointsPerBatch());
        synchronized (jobs) {
            Job old = jobs.get(image.id());
            if (old != null && (old.state.equals("queued") || old.state.equals("running"))) {
                throw new ApiException(409, "automatic masks are already being generated for this image");
            }
            try {
                executor.execute(() -> run(job, image, params));
            } catch (RejectedExecutionException e) {
                throw new ApiException(503, "busy: too many images are waiting to be processed; try again shortly");
            }
            jobs.put(image.id(), job);
            while (jobs.size() > KEEP) {
                jobs.remove(jobs.keySet().iterator().next());
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

    private void run(Job job, CachedImage image, AmgParams params) {
        long t0 = System.nanoTime();
        job.state = "running";
        try {
            List<MaskRecord> records = gate.run(() -> generate(job, image, params));
            List<Map<String, Object>> masks = Annotations.of(records, Annotations.OutputMode.UNCOMPRESSED_RLE);
            synchronized (job) {
                job.millis = (System.nanoTime() - t0) / 1_000_000;
                job.masks = masks;
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
