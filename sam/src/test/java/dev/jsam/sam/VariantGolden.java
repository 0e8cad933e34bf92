package dev.jsam.sam;

import dev.jsam.nn.Weights;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The variants' golden files (testdata/golden/variants, README section "Variants"): a model with the
 * README's formula weights, dog.png through the library's predictor, the encoder trace on token-grid
 * rows 20..35 and columns 24..39 of each stage's own grid, and each prompt case's IoU, low-res
 * logits and binary masks (with a suffix such as ".hq_only" for HQ-SAM's second run).
 */
final class VariantGolden {
    static final String DIR = "golden/variants/";
    static final int ROW0 = 20;
    static final int COL0 = 24;
    static final int CROP = 16;

    private VariantGolden() {
    }

    /** The model of the formula weights for a registry entry. */
    static Sam formulaModel(SamConfig config, Backend backend) {
        return new Sam(Weights.of(new SyntheticWeights(config, backend), backend), config);
    }

    static RgbImage dog() throws java.io.IOException {
        return Images.read(Golden.testdata("images/dog.png"));
    }

    /**
     * Runs the encoder on dog.png as the predictor prepares it, checks every traced stage the golden
     * file holds (and no other: the golden names are exactly "encoder." + stage, or the one name
     * given for the intermediate stage) and the features; returns the predictor with the image set.
     */
    static Map<String, Tensor> encoderTrace(Sam sam, SamPredictor p, RgbImage image) {
        Tensor input = p.inputTensor(p.transform().applyImage(image));
        Map<String, Tensor> trace = new LinkedHashMap<>();
        Tensor features = sam.imageEncoder().forward(sam.preprocess(input), (name, x) -> trace.put(name, crop(name, x)));
        trace.put("features", features);
        return trace;
    }

    /** Rows 20..35 and columns 24..39 of a stage: dims 2, 3 of the NCHW patch embedding, else dims 1, 2. */
    static Tensor crop(String stage, Tensor x) {
        int rowDim = stage.equals("patch_embed") ? 2 : 1;
        return x.narrow(rowDim, ROW0, CROP).narrow(rowDim + 1, COL0, CROP).contiguous();
    }

    /** Golden names to trace names, in the order given (golden, trace, golden, trace ...): the first divergence fails first. */
    static Map<String, String> inOrder(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** The golden's encoder stages, each against the trace under its name. */
    static void assertStages(Golden g, Map<String, Tensor> trace, Map<String, String> goldenToTrace) {
        assertEquals(g.names("encoder."), new TreeSet<>(goldenToTrace.keySet().stream()
                .filter(n -> n.startsWith("encoder.")).toList()), "the golden file's encoder stages");
        for (Map.Entry<String, String> e : goldenToTrace.entrySet()) {
            g.assertClose(e.getKey(), trace.get(e.getValue()));
        }
    }

    static List<PromptCase> cases() {
        return ((List<?>) Golden.json(DIR + "variant_cases_dog.json").get("cases")).stream().map(PromptCase::parse)
                .toList();
    }

    /** One case through {@link SamPredictor#predict}, compared under name + suffix. */
    static void runCase(Golden g, PromptCase c, SamPredictor p, String suffix) {
        SamPredictor.Prediction r = p.predict(c.pointCoords(), c.pointLabels(), c.box(), null, c.multimaskOutput(), false);
        String n = c.name() + suffix + ".";
        g.assertIouClose(n + "iou_predictions", r.iouPredictions());
        g.assertClose(n + "low_res_logits", r.lowResLogits());
        g.assertMasksMatch(n + "masks_packed", PromptCase.bits(r.masks()), r.masks().dim(-1));
    }
}
