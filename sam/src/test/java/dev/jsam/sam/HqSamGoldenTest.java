package dev.jsam.sam;

import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * HQ-SAM (hq_vit_b) with the golden README's formula weights against the reference SysCV/sam-hq on
 * dog.png: the intermediate embedding (the first global-attention block's output, a window of the
 * token grid), the features, then the four prompt cases through the library's predictor, each with
 * and without hq_token_only: one mask per prompt, its IoU, low-res logits and mask at the original
 * size. Slow (a full vit_b encoder), but part of CI.
 */
@Tag("golden")
@Tag("slow")
class HqSamGoldenTest {
    @Test
    void hqVitBMatchesReference() throws Exception {
        try (Backend backend = Golden.backend()) {
            SamConfig config = SamConfig.hq(SamConfig.vitB());
            Sam sam = VariantGolden.formulaModel(config, backend);
            Golden g = Golden.open(VariantGolden.DIR + "hq_vit_b_dog.safetensors");
            SamPredictor p = new SamPredictor(sam);
            RgbImage dog = VariantGolden.dog();
            p.setImage(dog);
            ImageEmbedding e = p.getImageEmbedding();
            assertEquals("block2", sam.imageEncoder().intermediateStage());
            g.assertClose("interm_embeddings", VariantGolden.crop("interm", e.intermEmbeddings()));
            g.assertClose("features", e.features());
            for (boolean hqOnly : new boolean[] {false, true}) {
                p.setHqTokenOnly(hqOnly);
                for (PromptCase c : VariantGolden.cases()) {
                    VariantGolden.runCase(g, c, p, hqOnly ? ".hq_only" : "");
                }
            }
        }
    }
}
