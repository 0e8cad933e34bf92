package dev.jsam.sam.modeling;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.Golden;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Backends;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiny golden model's image encoder on the truck, on the fast and the reference backend:
 * activations after patch embedding, after each block, and the final features, each against the
 * reference, in order, so the first stage that diverges is the one reported.
 */
@Tag("golden")
class ImageEncoderGoldenTest {
    static final Map<String, Sam> MODELS = new LinkedHashMap<>();

    @BeforeAll
    static void load() throws Exception {
        for (String device : Golden.devices()) {
            Backend backend = Backends.open(device);
            MODELS.put(device, Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"),
                    backend), backend));
        }
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(m -> m.backend().close());
        MODELS.clear();
    }

    static List<String> devices() {
        return Golden.devices();
    }

    /** The reference's resized image (H', W', 3) uint8 as the encoder's (1, 3, 1024, 1024) input. */
    static Tensor preprocessed(Golden g, Sam sam) {
        Tensor img = g.tensor("input_image", sam.backend()).to(DType.F32).permute(2, 0, 1).unsqueeze(0);
        return sam.preprocess(img);
    }

    /**
     * testdata/golden/tiny/config.json, every key of it, against the configuration read off the
     * checkpoint's shapes; a key this test does not know fails, so the file cannot grow unchecked.
     */
    @Test
    void tinyConfigJsonMatchesTheConfigInferredFromTheCheckpoint() {
        Sam sam = MODELS.values().iterator().next();
        ImageEncoderConfig e = (ImageEncoderConfig) sam.config().imageEncoder();
        PromptEncoderConfig p = sam.config().promptEncoder();
        MaskDecoderConfig d = sam.config().maskDecoder();
        Map<String, Object> ours = new TreeMap<>(Map.ofEntries(
                Map.entry("encoder_embed_dim", e.embedDim()),
                Map.entry("encoder_depth", e.depth()),
                Map.entry("encoder_num_heads", e.numHeads()),
                Map.entry("encoder_global_attn_indexes", Arrays.stream(e.globalAttnIndexes()).boxed().toList()),
                Map.entry("window_size", e.windowSize()),
                Map.entry("img_size", e.imgSize()),
                Map.entry("patch_size", e.patchSize()),
                Map.entry("prompt_embed_dim", p.embedDim()),
                Map.entry("mask_in_chans", p.maskInChans()),
                Map.entry("decoder_depth", d.depth()),
                Map.entry("decoder_mlp_dim", d.mlpDim()),
                Map.entry("decoder_num_heads", d.numHeads()),
                Map.entry("iou_head_depth", d.iouHeadDepth()),
                Map.entry("iou_head_hidden_dim", d.iouHeadHiddenDim()),
                Map.entry("num_multimask_outputs", d.numMultimaskOutputs())));
        Map<String, Object> golden = new TreeMap<>(Golden.json("golden/tiny/config.json"));
        assertEquals(Json.write(golden), Json.write(ours));
        // what the file implies without naming it: the reference's fixed choices
        assertEquals(4 * e.embedDim(), e.mlpDim());
        assertEquals(p.embedDim(), e.outChans());
        assertEquals(p.embedDim(), d.transformerDim());
        assertEquals(e.imgSize() / e.patchSize(), p.imageEmbeddingSize());
        assertEquals(3, e.inChans());
        assertTrue(e.qkvBias() && e.useRelPos());
    }

    @ParameterizedTest
    @MethodSource("devices")
    void truckEncoderTraceAndFeaturesMatchReference(String device) {
        Sam sam = MODELS.get(device);
        Golden g = Golden.open("golden/tiny/truck.safetensors");
        Map<String, Tensor> trace = new LinkedHashMap<>();
        Tensor features = sam.imageEncoder().forward(preprocessed(g, sam), trace::put);
        // every stage the reference recorded, no more and no fewer: a skipped or extra block fails here
        assertEquals(g.names("encoder."), new TreeSet<>(trace.keySet().stream().map(k -> "encoder." + k).toList()));
        for (Map.Entry<String, Tensor> e : trace.entrySet()) {
            g.assertClose("encoder." + e.getKey(), e.getValue());
        }
        g.assertClose("features", features);
        g.assertClose("dense_pe", sam.promptEncoder().getDensePe(sam.backend()));
    }
}
