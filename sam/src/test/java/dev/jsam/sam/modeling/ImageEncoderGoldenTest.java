package dev.jsam.sam.modeling;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.Golden;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tiny golden model's image encoder on the truck: activations after patch embedding, after
 * each block, and the final features, each against the reference, in order, so the first stage
 * that diverges is the one reported.
 */
@Tag("golden")
class ImageEncoderGoldenTest {
    static Backend backend;
    static Sam sam;

    @BeforeAll
    static void load() throws Exception {
        backend = Golden.backend();
        sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), backend), backend);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** The reference's resized image (H', W', 3) uint8 as the encoder's (1, 3, 1024, 1024) input. */
    static Tensor preprocessed(Golden g) {
        Tensor img = g.tensor("input_image", backend).to(DType.F32).permute(2, 0, 1).unsqueeze(0);
        return sam.preprocess(img);
    }

    @Test
    void tinyConfigIsInferredFromTheCheckpoint() {
        ImageEncoderConfig c = sam.config().imageEncoder();
        assertEquals(72, c.embedDim());
        assertEquals(4, c.depth());
        assertEquals(2, c.numHeads());
        assertEquals(14, c.windowSize());
        assertEquals(java.util.List.of(1, 3), java.util.Arrays.stream(c.globalAttnIndexes()).boxed().toList());
        assertEquals(64, sam.config().promptEncoder().embedDim());
        assertEquals(256, sam.config().maskDecoder().mlpDim());
    }

    @Test
    void truckEncoderTraceAndFeaturesMatchReference() {
        Golden g = Golden.open("golden/tiny/truck.safetensors");
        Map<String, Tensor> trace = new LinkedHashMap<>();
        Tensor features = sam.imageEncoder().forward(preprocessed(g), trace::put);
        for (Map.Entry<String, Tensor> e : trace.entrySet()) {
            g.assertClose("encoder." + e.getKey(), e.getValue());
        }
        g.assertClose("features", features);
        g.assertClose("dense_pe", sam.promptEncoder().getDensePe(backend));
    }
}
