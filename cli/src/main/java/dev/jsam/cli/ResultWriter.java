package dev.jsam.cli;

import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.io.Json;
import dev.jsam.tensor.io.SafetensorsFile;
import dev.jsam.tensor.io.SafetensorsWriter;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what `sam predict` produces into its output folder: tensors, mask PNGs, overlay, JSON
 * (each mask with its IoU, area and box; the best of each prompt, by predicted IoU, marked).
 */
final class ResultWriter {
    /** Milliseconds spent loading the model, in the encoder and in the decoder. */
    record Timings(double loadMs, double encoderMs, double decoderMs) {
    }

    private ResultWriter() {
    }

    static void write(OutputDir dir, RgbImage image, Path imagePath, String model, List<double[]> points,
                      List<double[]> boxes, String maskInput, String embedding, boolean multimask, Tensor masks,
                      Tensor iou, Tensor lowRes, boolean logits, Timings timings, String note) throws IOException {
        int h = image.height(), w = image.width();
        Tensor binary = logits ? masks.gt(0f).to(DType.U8) : masks;
        List<SafetensorsFile.Entry> entries = new ArrayList<>();
        entries.add(entry("masks", binary));
        entries.add(entry("iou_predictions", iou));
        entries.add(entry("low_res_logits", lowRes));
        if (logits) {
            entries.add(entry("mask_logits", masks));
        }
        SafetensorsWriter.write(dir.file("result.safetensors"), Map.of("model", model, "image", imagePath.toString()),
                entries);

        byte[] bits = binary.toByteArray();
        float[] scores = iou.toFloatArray();
        int count = scores.length;
        int perPrompt = iou.dim(-1);
        List<byte[]> maskList = new ArrayList<>();
        List<Object> maskJson = new ArrayList<>();
        List<Integer> bestOfPrompt = new ArrayList<>();
        for (int p = 0; p < count / perPrompt; p++) {
            bestOfPrompt.add(best(scores, p * perPrompt, perPrompt));
        }
        for (int i = 0; i < count; i++) {
            byte[] m = new byte[w * h];
            System.arraycopy(bits, i * w * h, m, 0, w * h);
            maskList.add(m);
            byte[] grey = new byte[w * h];
            long area = 0;
            int x0 = w, y0 = h, x1 = -1, y1 = -1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (m[y * w + x] != 0) {
                        grey[y * w + x] = (byte) 255;
                        area++;
                        x0 = Math.min(x0, x);
                        y0 = Math.min(y0, y);
                        x1 = Math.max(x1, x);
                        y1 = Math.max(y1, y);
                    }
                }
            }
            String file = "mask_" + i + ".png";
            Images.writeGreyPng(grey, w, h, dir.file(file));
            Map<String, Object> mj = new LinkedHashMap<>();
            mj.put("index", i);
            mj.put("prompt", i / perPrompt);
            mj.put("output", i % perPrompt);
            mj.put("file", file);
            mj.put("iou_prediction", (double) scores[i]);
            mj.put("best", bestOfPrompt.get(i / perPrompt) == i);
            mj.put("area", area);
            mj.put("bbox_xywh", area == 0 ? List.of(0, 0, 0, 0) : List.of(x0, y0, x1 - x0 + 1, y1 - y0 + 1));
            maskJson.add(mj);
        }
        ImageIO.write(Overlay.draw(image, maskList, points, boxes), "png", dir.file("overlay.png").toFile());

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("image", imagePath.toString());
        json.put("image_size_hw", List.of(h, w));
        json.put("model", model);
        Map<String, Object> prompts = new LinkedHashMap<>();
        prompts.put("points_xy_label", points.stream().map(p -> List.of(p[0], p[1], (int) p[2])).toList());
        prompts.put("boxes_xyxy", boxes.stream().map(b -> List.of(b[0], b[1], b[2], b[3])).toList());
        prompts.put("mask_input", maskInput);
        prompts.put("batch", boxes.size() > 1 ? boxes.size() : 1);
        json.put("prompts", prompts);
        json.put("multimask_output", multimask);
        json.put("embedding", embedding);
        json.put("masks", maskJson);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("load_model_ms", round(timings.loadMs()));
        t.put("encoder_ms", round(timings.encoderMs()));
        t.put("decoder_ms", round(timings.decoderMs()));
        json.put("timings", t);
        if (note != null) {
            json.put("note", note);
        }
        Files.writeString(dir.file("result.json"), Json.writePretty(json) + "\n");
    }

    /** The index of the highest IoU prediction among scores[from, from + count), the first on a tie. */
    static int best(float[] scores, int from, int count) {
        int best = from;
        for (int i = from + 1; i < from + count; i++) {
            best = scores[i] > scores[best] ? i : best;
        }
        return best;
    }

    private static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }

    private static SafetensorsFile.Entry entry(String name, Tensor t) {
        return new SafetensorsFile.Entry(name, t.dtype(), t.shape(), MemorySegment.ofArray(t.toByteArray()));
    }
}
