package dev.jsam.sam;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

/**
 * Every case of the tiny model's golden predictor files through the library, from the PNG on
 * disk to masks at the original size: features, dense PE, prompt embeddings, low-res logits,
 * IoU predictions, binary masks or mask logits, and dog's batched boxes.
 */
@Tag("golden")
class SamPredictorGoldenTest {
    static Backend backend;
    static SamPredictor predictor;

    @BeforeAll
    static void load() throws Exception {
        backend = Golden.backend();
        Sam sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), backend), backend);
        predictor = new SamPredictor(sam);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dog", "truck", "truck_portrait"})
    void everyCaseMatchesReference(String image) throws Exception {
        Golden g = Golden.open("golden/tiny/" + image + ".safetensors");
        Map<String, Object> cases = Golden.json("golden/tiny/" + image + "_cases.json");
        predictor.setImage(Images.read(Golden.testdata("images/" + cases.get("image"))));
        g.assertClose("features", predictor.getImageEmbedding().features());
        for (Object o : (List<?>) cases.get("cases")) {
            runCase(g, PromptCase.parse(o), predictor);
        }
        if (cases.containsKey("batched_boxes")) {
            runBatchedBoxes(g, (Map<?, ?>) cases.get("batched_boxes"));
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

    private void runBatchedBoxes(Golden g, Map<?, ?> spec) {
        ImageEmbedding e = predictor.getImageEmbedding();
        List<?> boxes = (List<?>) spec.get("boxes");
        double[] flat = boxes.stream().flatMap(b -> ((List<?>) b).stream()).mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        float[] f = new float[flat.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) flat[i];
        }
        float[] t = predictor.transform().applyBoxesTorch(f, e.originalH(), e.originalW());
        SamPredictor.BatchPrediction r = predictor.predictTorch(null, null, Tensor.of(backend, t, boxes.size(), 4), null,
                (Boolean) spec.get("multimask_output"), false);
        g.assertIouClose("batched_boxes.iou_predictions", r.iouPredictions());
        g.assertClose("batched_boxes.low_res_logits", r.lowResLogits());
        g.assertMasksMatch("batched_boxes.masks_packed", PromptCase.bits(r.masks()), r.masks().dim(-1));
    }
}
