package dev.jsam.serve;

import com.sun.net.httpserver.HttpExchange;
import dev.jsam.cli.MemoryBudget;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.io.Json;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON API under /api/: model info, image upload (encoded once, on a bounded encoder queue),
 * prompts against an uploaded image, and "segment everything" jobs ({@link AmgJobs}). Each predict
 * takes its own {@link SamPredictor} sharing the cached image's decoder side, so concurrent
 * requests share only immutable state; all model work goes through a {@link ModelGate}, which
 * serialises it for a backend that is not for concurrent use. Each upload and prompt first reserves
 * the memory it needs in the {@link MemoryGate} (413 if it never could, 503 if not now). See README
 * for the forms.
 */
final class ImageApi {
    private static final Pattern IMAGE_PATH = Pattern.compile("/api/images/([A-Za-z0-9_-]{1,64})(/[a-z]+)?");
    private static final long MAX_JSON_BYTES = 4L << 20;

    private final Sam model;
    private final ServerOptions options;
    private final EmbeddingCache cache;
    private final ThreadPoolExecutor encoder;
    private final AmgJobs amg;
    private final ModelGate gate;
    private final MemoryGate memory;

    ImageApi(Sam model, ServerOptions options, EmbeddingCache cache, ThreadPoolExecutor encoder, MemoryGate memory) {
        this.model = model;
        this.options = options;
        this.cache = cache;
        this.encoder = encoder;
        this.memory = memory;
        this.gate = new ModelGate(!model.backend().concurrentUse());
        this.amg = new AmgJobs(model, options.amgDefaults(), encoder, gate, memory);
    }

    void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/api/info")) {
            Http.requireMethod(ex, "GET");
            Http.sendJson(ex, 200, Map.of("model", model.config().name(), "maxUploadBytes", options.maxUploadBytes(),
                    "maxPixels", options.maxPixels(), "exifOrientation", options.orientation() == ExifOrientation.APPLY,
                    "hq", model.config().hq()));
            return;
        }
        if (path.equals("/api/images")) {
            Http.requireMethod(ex, "POST");
            upload(ex);
            return;
        }
        Matcher m = IMAGE_PATH.matcher(path);
        if (!m.matches()) {
            throw new ApiException(404, "no such endpoint: " + path);
        }
        CachedImage image = cache.get(m.group(1));
        String action = m.group(2) == null ? "" : m.group(2);
        if (!action.isEmpty() && !action.equals("/predict") && !action.equals("/amg")) {
            throw new ApiException(404, "no such endpoint: " + path);
        }
        if (image == null) {
            throw new ApiException(404, "unknown image id " + m.group(1)
                    + " (never uploaded, or forgotten to make room): upload the image again");
        }
        switch (action) {
            case "" -> {
                Http.requireMethod(ex, "GET");
                Http.sendJson(ex, 200, describe(image));
            }
            case "/predict" -> {
                Http.requireMethod(ex, "POST");
                predict(ex, image);
            }
            default -> amg.handle(ex, image, ex.getRequestMethod().equals("POST")
                    ? Http.readBody(ex, MAX_JSON_BYTES) : new byte[0]);
        }
    }

    /**
     * Reserves the body's bytes (announced, or the upload limit; twice that while a body without a
     * length grows), reads it, and waits for its encode on the encoder queue.
     */
    private void upload(HttpExchange ex) throws IOException {
        boolean announced = ex.getRequestHeaders().getFirst("Content-Length") != null;
        long length = Http.bodyLength(ex, options.maxUploadBytes());
        try (MemoryGate.Reservation ignored = memory.reserve(announced ? length : 2 * length, "an upload of "
                + length + " bytes")) {
            byte[] body = Http.readBody(ex, options.maxUploadBytes());
            Future<CachedImage> job;
            try {
                job = encoder.submit(() -> encode(body));
            } catch (RejectedExecutionException e) {
                throw new ApiException(503, "busy: too many images are waiting to be encoded; try again shortly");
            }
            CachedImage image;
            try {
                image = job.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, "interrupted while encoding");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ApiException a) {
                    throw a;
                }
                if (e.getCause() instanceof IllegalArgumentException unfit) {
                    throw new ApiException(422, unfit.getMessage());
                }
                throw new IOException("encoding failed: " + e.getCause(), e.getCause());
            }
            cache.put(image);
            Http.sendJson(ex, 201, describe(image));
        }
    }

    /** Decodes and encodes an upload (on the encoder queue), with the memory its header says it needs. */
    private CachedImage encode(byte[] body) throws IOException {
        try (UploadDecoder upload = UploadDecoder.of(body, options.maxPixels(), options.orientation())) {
            ImageHeader header = upload.header();
            try (MemoryGate.Reservation ignored = memory.reserve(MemoryBudget.upload(model.config(), header),
                    "this " + header.width() + " x " + header.height() + " image")) {
                RgbImage rgb = upload.decode();
                return gate.run(() -> {
                    long t0 = System.nanoTime();
                    SamPredictor predictor = new SamPredictor(model);
                    predictor.setImage(rgb);
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    return CachedImage.of(EmbeddingCache.newId(), rgb, predictor, millis);
                });
            }
        }
    }

    private static Map<String, Object> describe(CachedImage image) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", image.id());
        out.put("width", image.image().width());
        out.put("height", image.image().height());
        out.put("encodeMillis", image.encodeMillis());
        return out;
    }

    /**
     * Decodes the prompt to low-res masks (inside the model gate), then streams the answer: each
     * mask upsampled a column at a time straight into its run-length encoding, so no mask is held
     * at the image's size.
     */
    private void predict(HttpExchange ex, CachedImage image) throws IOException {
        int lowRes = 4 * model.config().promptEncoder().imageEmbeddingSize();
        PromptRequest req = PromptRequest.parse(Http.readBody(ex, MAX_JSON_BYTES), lowRes);
        if (req.hqTokenOnly() && !model.config().hq()) {
            throw new ApiException(400, "hqTokenOnly applies to HQ-SAM models; this server's model is "
                    + model.config().name());
        }
        try (MemoryGate.Reservation ignored = memory.reserve(MemoryBudget.servePrompt(model.config()), "a prompt")) {
            long t0 = System.nanoTime();
            Decoded d = gate.run(() -> decode(image, req, lowRes));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            int h = image.image().height();
            int w = image.image().width();
            Http.streamJson(ex, out -> {
                out.write("{\"width\":" + w + ",\"height\":" + h + ",\"millis\":" + millis + ",\"masks\":[");
                int perMask = d.lowRes().length / d.iou().length;
                for (int k = 0; k < d.iou().length; k++) {
                    out.write((k == 0 ? "" : ",") + "{\"iou\":" + Json.write((double) d.iou()[k]) + ",\"rle\":");
                    long area = MaskCodec.writeRle(d.predictor().upsampled(d.lowRes(), k * perMask), out);
                    out.write(",\"area\":" + area);
                    if (req.lowResLogits()) {
                        float[] logits = Arrays.copyOfRange(d.lowRes(), k * perMask, (k + 1) * perMask);
                        out.write(",\"lowResLogits\":\"" + MaskCodec.floatsToBase64(logits) + "\"");
                    }
                    out.write("}");
                }
                out.write("]}");
            });
        }
    }

    /** One prompt's results on the host: IoUs, low-res logits, and the predictor that upsamples them. */
    private record Decoded(float[] iou, float[] lowRes, SamPredictor predictor) {
    }

    /** Runs the prompt on a predictor sharing the image's decoder side and reads the low-res results back (inside the gate). */
    private Decoded decode(CachedImage image, PromptRequest req, int lowRes) {
        SamPredictor predictor = image.prompts().sharingImage();
        predictor.setHqTokenOnly(req.hqTokenOnly());
        Tensor maskInput = req.maskInput() == null ? null : Tensor.of(model.backend(), req.maskInput(), 1, lowRes, lowRes);
        SamPredictor.LowRes low = predictor.predictLowRes(req.points(), req.labels(), req.box(), maskInput,
                req.multimask());
        return new Decoded(low.iouPredictions().toFloatArray(), low.logits().toFloatArray(), predictor);
    }
}
