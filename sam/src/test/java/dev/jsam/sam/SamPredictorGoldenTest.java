package dev.jsam.sam;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Backends;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every case of the tiny model's golden predictor files through the library, from the PNG on
 * disk to masks at the original size: features, dense PE, prompt embeddings, low-res logits,
 * IoU predictions, binary masks or mask logits, and dog's batched boxes. On the reference backend
 * too, there from the golden features (the encoder's run on it is ImageEncoderGoldenTest's: it
 * costs seconds per image there).
 */
@Tag("golden")
class SamPredictorGoldenTest {
    static final Map<String, SamPredictor> PREDICTORS = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws Exception {
        for (String device : Golden.devices()) {
            Backend backend = Backends.open(device);
            Sam sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), backend),
                    backend);
            PREDICTORS.put(device, new SamPredictor(sam));
        }
    }

    @AfterAll
    static void close() {
        PREDICTORS.values().forEach(p -> p.model().backend().close());
        PREDICTORS.clear();
    }

    static Stream<Arguments> devicesAndImages() {
        return Golden.devices().stream().flatMap(d -> Stream.of("dog", "truck", "truck_portrait").map(i -> Arguments.of(d, i)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("devicesAndImages")
    void everyCaseMatchesReference(String device, String image) throws Exception {
        SamPredictor predictor = PREDICTORS.get(device);
        Golden g = Golden.open("golden/tiny/" + image + ".safetensors");
        Map<String, Object> cases = Golden.json("golden/tiny/" + image + "_cases.json");
        RgbImage rgb = Images.read(Golden.testdata("images/" + cases.get("image")));
        if (device.equals(Backends.CPU_REFERENCE)) {
            int[] input = g.shape("input_image"); // H' x W' x 3
            predictor.setEmbedding(new ImageEmbedding(g.tensor("features", predictor.model().backend()), rgb.height(),
                    rgb.width(), input[0], input[1], predictor.model().id()));
        } else {
            predictor.setImage(rgb);
            g.assertClose("features", predictor.getImageEmbedding().features());
        }
        for (Object o : (List<?>) cases.get("cases")) {
            runCase(g, PromptCase.parse(o), predictor);
        }
        if (cases.containsKey("batched_boxes")) {
            runBatchedBoxes(g, (Map<?, ?>) cases.get("batched_boxes"), predictor);
        }
    }

    static void runCase(Golden g, PromptCase c, SamPredictor p) {
        Tensor maskInput = c.maskInputFrom() == null ? null : g.tensor(c.name() + ".mask_input", p.model().backend());
        SamPredictor.Prediction r = p.predict(c.pointCoords(), c.pointLabels(), c.box(), maskInput,
                c.multimaskOutput(), c.returnLogits());
        String n = c.name() + ".";
        g.assertClose(n + "sparse_embeddings", r.embeddings().sparse());
        if (g.has(n + "dense_embeddings")) {
            g.assertClose(n + "dense_embeddings", r.embeddings().dense());
        }
        g.assertIouClose(n + "iou_predictions", r.iouPredictions());
        g.assertClose(n + "low_res_logits", r.lowResLogits());
        if (c.returnLogits()) {
            g.assertClose(n + "mask_logits", r.masks());
        } else {
            g.assertMasksMatch(n + "masks_packed", PromptCase.bits(r.masks()), r.masks().dim(-1));
        }
    }

    private static void runBatchedBoxes(Golden g, Map<?, ?> spec, SamPredictor predictor) {
        ImageEmbedding e = predictor.getImageEmbedding();
        List<?> boxes = (List<?>) spec.get("boxes");
        double[] flat = boxes.stream().flatMap(b -> ((List<?>) b).stream()).mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        float[] f = new float[flat.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) flat[i];
        }
        float[] t = predictor.transform().applyBoxesTorch(f, e.originalH(), e.originalW());
        Tensor boxTensor = Tensor.of(predictor.model().backend(), t, boxes.size(), 4);
        SamPredictor.BatchPrediction r = predictor.predictTorch(null, null, boxTensor, null,
                (Boolean) spec.get("multimask_output"), false);
        g.assertIouClose("batched_boxes.iou_predictions", r.iouPredictions());
        g.assertClose("batched_boxes.low_res_logits", r.lowResLogits());
        g.assertMasksMatch("batched_boxes.masks_packed", PromptCase.bits(r.masks()), r.masks().dim(-1));
    }
}
