package dev.jsam.sam;

import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A full-size vit_b with the golden README's synthetic weights on dog.png: the encoder trace
 * (token rows 10..17, columns 12..19 of every stage, across a window corner), the features, the
 * dense PE and both prompt cases. Slow (a real vit_b forward pass), but part of CI.
 */
@Tag("golden")
@Tag("slow")
class VitBSyntheticGoldenTest {
    @Test
    void vitBMatchesReference() throws Exception {
        try (Backend backend = Golden.backend()) {
            Sam sam = new Sam(Weights.of(new SyntheticWeights(SamConfig.vitB(), backend), backend), SamConfig.vitB());
            Golden g = Golden.open("golden/vit_b_synthetic/dog.safetensors");
            SamPredictor p = new SamPredictor(sam);
            var image = Images.read(Golden.testdata("images/dog.png"));
            var resized = p.transform().applyImage(image);
            Tensor input = p.inputTensor(resized);
            Map<String, Tensor> trace = new LinkedHashMap<>();
            Tensor features = sam.imageEncoder().forward(sam.preprocess(input),
                    (name, x) -> trace.put(name, x.narrow(1, 10, 8).narrow(2, 12, 8).contiguous()));
            // every stage the reference recorded, no more and no fewer: a skipped or extra block fails here
            assertEquals(g.names("encoder."), new TreeSet<>(trace.keySet().stream()
                    .map(k -> "encoder." + k + ".rows10to17_cols12to19").toList()));
            for (Map.Entry<String, Tensor> e : trace.entrySet()) {
                g.assertClose("encoder." + e.getKey() + ".rows10to17_cols12to19", e.getValue());
            }
            g.assertClose("features", features);
            g.assertClose("dense_pe", sam.promptEncoder().getDensePe(backend));
            p.setEmbedding(new ImageEmbedding(features, image.height(), image.width(), resized.height(), resized.width(), sam.id()));
            Map<String, Object> cases = Golden.json("golden/vit_b_synthetic/dog_cases.json");
            for (Object o : (List<?>) cases.get("cases")) {
                SamPredictorGoldenTest.runCase(g, PromptCase.parse(o), p);
            }
        }
    }
}
