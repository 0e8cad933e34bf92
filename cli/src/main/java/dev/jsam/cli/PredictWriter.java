package dev.jsam.cli;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.UpsampledMask;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.io.Json;
import dev.jsam.tensor.io.SafetensorsWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what `sam predict` produces into its output folder, one mask at a time: each mask is
 * upsampled from its low-res logits a strip of rows at a time ({@link UpsampledMask}) and each
 * strip goes at once to result.safetensors (masks, and mask_logits with --logits), to the mask's
 * PNG and to its area and box; the overlay then reads the masks back from the file a strip at a
 * time. No mask is ever held whole, so beside the image the writer holds a few rows (about 1 MB
 * of floats) and one mask's logits at the model's input size (4 MB). Not thread-safe.
 */
final class PredictWriter implements AutoCloseable {
    private final OutputDir dir;
    private final RgbImage image;
    private final int masksPerPrompt;
    private final boolean logits;
    private final SafetensorsWriter tensors;
    private final long masksOffset;
    private final List<Map<String, Object>> maskJson = new ArrayList<>();
    private final List<Float> scores = new ArrayList<>();

    /**
     * Declares result.safetensors for prompts x masksPerPrompt masks: (B, C, ...) shapes for a
     * batch, (C, ...) for a single prompt; keys sorted as before (iou_predictions, low_res_logits,
     * mask_logits, masks).
     */
    PredictWriter(OutputDir dir, RgbImage image, Map<String, String> metadata, int prompts, int masksPerPrompt,
                  int lowResSize, boolean batch, boolean logits) throws IOException {
        this.dir = dir;
        this.image = image;
        this.masksPerPrompt = masksPerPrompt;
        this.logits = logits;
        List<SafetensorsWriter.Spec> specs = new ArrayList<>();
        specs.add(new SafetensorsWriter.Spec("iou_predictions", DType.F32, shape(batch, prompts, masksPerPrompt)));
        specs.add(new SafetensorsWriter.Spec("low_res_logits", DType.F32,
                shape(batch, prompts, masksPerPrompt, lowResSize, lowResSize)));
        if (logits) {
            specs.add(new SafetensorsWriter.Spec("mask_logits", DType.F32,
                    shape(batch, prompts, masksPerPrompt, image.height(), image.width())));
        }
        specs.add(new SafetensorsWriter.Spec("masks", DType.U8,
                shape(batch, prompts, masksPerPrompt, image.height(), image.width())));
        this.tensors = SafetensorsWriter.create(dir.file("result.safetensors"), metadata, specs);
        this.masksOffset = tensors.dataOffset("masks");
    }

    private static int[] shape(boolean batch, int prompts, int... rest) {
        int[] s = new int[rest.length + (batch ? 1 : 0)];
        if (batch) {
            s[0] = prompts;
        }
        System.arraycopy(rest, 0, s, batch ? 1 : 0, rest.length);
        return s;
    }

    /**
     * Writes the next prompts' results: IoU (n x C) and low-res logits (n x C x 256 x 256), with
     * every mask upsampled by the predictor that made them.
     */
    void add(float[] iou, float[] lowRes, SamPredictor predictor) throws IOException {
        tensors.append("iou_predictions", littleEndian(iou, 0, iou.length));
        int perMask = lowRes.length / iou.length;
        for (int k = 0; k < iou.length; k++) {
            tensors.append("low_res_logits", littleEndian(lowRes, k * perMask, perMask));
            writeMask(predictor.upsampled(lowRes, k * perMask), iou[k]);
        }
    }

    /** One mask: its strips to the tensors and its PNG, its area and box to the JSON. */
    private void writeMask(UpsampledMask mask, float score) throws IOException {
        int i = maskJson.size();
        int w = mask.width();
        int strip = mask.stripRows();
        float[] rowLogits = new float[strip * w];
        byte[] bits = new byte[strip * w];
        ByteBuffer logitBytes = logits ? ByteBuffer.allocate(strip * w * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN) : null;
        long[] box = {w, mask.height(), -1, -1, 0}; // x0, y0, x1, y1, area
        String file = "mask_" + i + ".png";
        Images.writePng(w, mask.height(), 1, strip, (y0, y1, grey) -> {
            int n = (y1 - y0) * w;
            mask.logitRows(y0, y1, rowLogits);
            UpsampledMask.threshold(rowLogits, n, bits);
            if (logits) {
                logitBytes.clear().asFloatBuffer().put(rowLogits, 0, n);
                tensors.append("mask_logits", logitBytes.limit(n * Float.BYTES));
            }
            tensors.append("masks", ByteBuffer.wrap(bits, 0, n));
            for (int p = 0; p < n; p++) {
                grey[p] = (byte) (bits[p] == 0 ? 0 : 255);
                if (bits[p] != 0) {
                    int x = p % w, y = y0 + p / w;
                    box[0] = Math.min(box[0], x);
                    box[1] = Math.min(box[1], y);
                    box[2] = Math.max(box[2], x);
                    box[3] = Math.max(box[3], y);
                    box[4]++;
                }
            }
        }, dir.file(file));
        Map<String, Object> mj = new LinkedHashMap<>();
        mj.put("index", i);
        mj.put("prompt", i / masksPerPrompt);
        mj.put("output", i % masksPerPrompt);
        mj.put("file", file);
        mj.put("iou_prediction", (double) score);
        mj.put("best", false);
        mj.put("area", box[4]);
        mj.put("bbox_xywh", box[4] == 0 ? List.of(0, 0, 0, 0)
                : List.of(box[0], box[1], box[2] - box[0] + 1, box[3] - box[1] + 1));
        maskJson.add(mj);
        scores.add(score);
    }

    /**
     * Completes the folder's files: result.safetensors, the overlay (masks read back from it a
     * strip at a time), and result.json, which gets {@code json} with "masks" added after its
     * "embedding" entry (the best of each prompt marked).
     */
    void finish(Map<String, Object> json, List<double[]> points, List<double[]> boxes) throws IOException {
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        for (int p = 0; p < s.length / masksPerPrompt; p++) {
            maskJson.get(best(s, p * masksPerPrompt, masksPerPrompt)).put("best", true);
        }
        tensors.commit();
        long plane = (long) image.width() * image.height();
        try (FileChannel in = FileChannel.open(dir.file("result.safetensors"), StandardOpenOption.READ)) {
            Overlay.write(image, s.length, (mask, y0, y1, dst) -> {
                ByteBuffer b = ByteBuffer.wrap(dst, 0, (y1 - y0) * image.width());
                long at = masksOffset + mask * plane + (long) y0 * image.width();
                while (b.hasRemaining()) {
                    if (in.read(b, at + b.position()) < 0) {
                        throw new IOException("result.safetensors ended early");
                    }
                }
            }, points, boxes, dir.file("overlay.png"));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            out.put(e.getKey(), e.getValue());
            if (e.getKey().equals("embedding")) {
                out.put("masks", maskJson);
            }
        }
        Files.writeString(dir.file("result.json"), Json.writePretty(out) + "\n");
    }

    /** The index of the highest IoU prediction among scores[from, from + count), the first on a tie. */
    static int best(float[] scores, int from, int count) {
        int best = from;
        for (int i = from + 1; i < from + count; i++) {
            best = scores[i] > scores[best] ? i : best;
        }
        return best;
    }

    private static ByteBuffer littleEndian(float[] values, int from, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values, from, n);
        return b;
    }

    /** Abandons an unfinished result.safetensors (the folder itself is the OutputDir's). */
    @Override
    public void close() throws IOException {
        tensors.close();
    }
}
