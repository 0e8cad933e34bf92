package dev.jsam.sam;

import dev.jsam.nn.Weights;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What loads as a variant and what does not: MobileSAM with or without its unused classification
 * head and with batch norm's counters (as torch.save writes them); any other unused key, a
 * mis-shaped head or a checkpoint of no known family refused, naming the problem; an HQ-SAM
 * embedding carries its intermediate embedding through a file, and one without it is refused.
 */
class VariantLoadTest {
    static CpuBackend backend;
    static Weights.Source vitT;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        backend = CpuBackend.create(2);
        vitT = new SyntheticWeights(SamConfig.vitT(), backend);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    /** A source with keys taken away and added. */
    record Edited(Weights.Source inner, Set<String> removed, Map<String, Tensor> added) implements Weights.Source {
        @Override
        public Set<String> keys() {
            Set<String> k = new TreeSet<>(inner.keys());
            k.removeAll(removed);
            k.addAll(added.keySet());
            return k;
        }

        @Override
        public Tensor get(String key) {
            return added.containsKey(key) ? added.get(key) : removed.contains(key) ? null : inner.get(key);
        }

        @Override
        public String describe() {
            return "edited " + inner.describe();
        }
    }

    private static Set<String> headKeys() {
        return Set.of("image_encoder.head.weight", "image_encoder.head.bias", "image_encoder.norm_head.weight",
                "image_encoder.norm_head.bias");
    }

    @Test
    void mobileSamLoadsWithItsHeadWithoutItAndWithBatchNormCounters() {
        assertTrue(vitT.keys().containsAll(headKeys()), "the formula's key list holds the head, as the reference's does");
        assertEquals("vit_t", Sam.fromSource(vitT, backend).config().name());
        Sam headless = Sam.fromSource(new Edited(vitT, headKeys(), Map.of()), backend);
        assertEquals("vit_t", headless.config().name());
        assertEquals(0, ((dev.jsam.sam.modeling.TinyViTConfig) headless.config().imageEncoder()).numClasses());
        Map<String, Tensor> counters = new HashMap<>();
        for (String k : vitT.keys()) {
            if (k.endsWith(".running_mean")) {
                counters.put(k.replace("running_mean", "num_batches_tracked"), Tensor.of(backend, new float[] {0}).to(DType.I64)
                        .reshape());
            }
        }
        assertEquals(2 + 2 * 3 + 3 * 3 + 10, counters.size(), "every Conv2d_BN of TinyViT-5M: stem, MBConvs, mergings, local convs");
        assertEquals("vit_t", Sam.fromSource(new Edited(vitT, Set.of(), counters), backend).config().name());
    }

    @Test
    void anyOtherUnusedKeyAndAMisShapedHeadAreErrors() {
        Tensor one = Tensor.of(backend, new float[] {1}, 1);
        var unused = assertThrows(IllegalArgumentException.class, () -> Sam.fromSource(
                new Edited(vitT, Set.of(), Map.of("image_encoder.layers.1.blocks.0.attn.extra", one)), backend));
        assertTrue(unused.getMessage().contains("unused") && unused.getMessage().contains("attn.extra"), unused.getMessage());
        var shaped = assertThrows(IllegalArgumentException.class, () -> Sam.fromSource(
                new Edited(vitT, Set.of(), Map.of("image_encoder.head.bias", one)), backend));
        assertTrue(shaped.getMessage().contains("image_encoder.head.bias has shape [1]"), shaped.getMessage());
        var counter = assertThrows(IllegalArgumentException.class, () -> Sam.fromSource(new Edited(vitT, Set.of(),
                Map.of("image_encoder.patch_embed.seq.0.bn.num_batches_tracked", one)), backend));
        assertTrue(counter.getMessage().contains("should be an integer scalar"), counter.getMessage());
    }

    @Test
    void aCheckpointOfNoKnownFamilyIsNamedAsSuch() {
        Map<String, int[]> shapes = new HashMap<>(Map.of("image_encoder.trunk.patch_embed.proj.weight", new int[] {96, 3, 7, 7},
                "sam_mask_decoder.iou_token.weight", new int[] {1, 256}));
        var e = assertThrows(IllegalArgumentException.class, () -> SamConfig.infer(shapes));
        assertTrue(e.getMessage().startsWith("not a checkpoint of SAM, MobileSAM or HQ-SAM")
                && e.getMessage().contains("image_encoder.trunk.patch_embed.proj.weight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SamConfig.byName("vit_x"));
        assertEquals(SamConfig.hq(SamConfig.vitT()), SamConfig.byName("hq_vit_t"));
    }

    @Test
    void hqEmbeddingsKeepTheirIntermediateEmbeddingAndSamOnesAreRefused() throws Exception {
        SamConfig hq = SamConfig.hq(SamConfig.vitT());
        Sam sam = new Sam(Weights.of(new SyntheticWeights(hq, backend), backend), hq);
        SamPredictor p = new SamPredictor(sam);
        p.setImage(VariantGolden.dog());
        ImageEmbedding e = p.getImageEmbedding();
        assertArrayEquals(new int[] {1, 64, 64, 160}, e.intermEmbeddings().shape(), "TinyViT's second stage, channels last");
        Path file = tmp.resolve("hq.embedding.safetensors");
        e.save(file);
        ImageEmbedding back = ImageEmbedding.load(file, backend);
        assertArrayEquals(e.intermEmbeddings().toFloatArray(), back.intermEmbeddings().toFloatArray());
        SamPredictor q = new SamPredictor(sam);
        q.setEmbedding(back);
        float[] direct = p.predict(Prompt.point(400, 300)).best().lowResLogits();
        assertArrayEquals(direct, q.predict(Prompt.point(400, 300)).best().lowResLogits());
        assertEquals(1, p.predict(Prompt.point(400, 300)).size(), "HQ-SAM answers one mask per prompt");

        ImageEmbedding samOnly = new ImageEmbedding(e.features(), e.originalH(), e.originalW(), e.inputH(), e.inputW(),
                e.model());
        assertNull(samOnly.intermEmbeddings());
        var refused = assertThrows(IllegalArgumentException.class, () -> q.setEmbedding(samOnly));
        assertTrue(refused.getMessage().contains("intermediate embedding"), refused.getMessage());
        SamPredictor plain = new SamPredictor(Sam.fromSource(vitT, backend));
        var notHq = assertThrows(IllegalArgumentException.class, () -> plain.setHqTokenOnly(true));
        assertTrue(notHq.getMessage().contains("HQ-SAM"), notHq.getMessage());
    }
}
