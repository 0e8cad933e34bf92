package dev.jsam.sam;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.nn.Weights;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.SafetensorsFile;
import dev.jsam.tensor.io.SafetensorsWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An embedding carries the identity of the image encoder that made it: it survives save and load,
 * another model refuses it naming both, files without it are refused with the way out, and the
 * fingerprint follows the encoder's weights (neck, pos_embed), not the decoder's.
 */
class EmbeddingIdentityTest {
    static final Path TINY = Golden.testdata("golden/tiny/sam_tiny.safetensors");
    static CpuBackend backend;
    static Sam sam;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        backend = CpuBackend.create(2);
        sam = Sam.load(TINY, backend);
    }

    @AfterAll
    static void close() {
        sam.close();
        backend.close();
    }

    private static ImageEmbedding embedding(ModelId model) {
        int c = sam.config().promptEncoder().embedDim();
        return new ImageEmbedding(Tensor.full(backend, 0.5f, 1, c, 64, 64), 30, 40, 768, 1024, model);
    }

    @Test
    void theIdentitySurvivesSaveAndLoad() throws IOException {
        Path file = tmp.resolve("e.safetensors");
        embedding(sam.id()).save(file);
        ImageEmbedding back = ImageEmbedding.load(file, backend);
        assertEquals(sam.id(), back.model());
        new SamPredictor(sam).setEmbedding(back);
    }

    @Test
    void anotherModelRefusesTheEmbeddingNamingBoth() {
        Sam other = new Sam(Weights.of(new SyntheticWeights(sam.config(), backend), backend), sam.config());
        assertNotEquals(sam.id(), other.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SamPredictor(other).setEmbedding(embedding(sam.id())));
        assertTrue(e.getMessage().contains(sam.id().toString()) && e.getMessage().contains(other.id().toString()),
                e.getMessage());
        assertTrue(e.getMessage().contains(sam.id().sha256().substring(0, 12)), e.getMessage());
    }

    @Test
    void filesWithoutTheIdentityAreRefused() throws IOException {
        Path v1 = tmp.resolve("v1.safetensors");
        writeEmbedding(v1, Map.of("format", "jsam.image_embedding.v1", "original_size", "30,40", "input_size", "768,1024",
                "model", "vit_b"));
        IOException e = assertThrows(IOException.class, () -> ImageEmbedding.load(v1, backend));
        assertTrue(e.getMessage().contains("run `sam embed` again"), e.getMessage());
        Path badSha = tmp.resolve("bad.safetensors");
        writeEmbedding(badSha, Map.of("format", "jsam.image_embedding.v2", "original_size", "30,40", "input_size",
                "768,1024", "model", "vit_b", "model_sha256", "xyz"));
        e = assertThrows(IOException.class, () -> ImageEmbedding.load(badSha, backend));
        assertTrue(e.getMessage().contains("model_sha256"), e.getMessage());
    }

    @Test
    void theFingerprintFollowsTheEncoderOnly() throws IOException {
        assertEquals(sam.id(), idOf(rewritten("same", null)), "the same weights, another file");
        assertEquals(sam.id(), idOf(rewritten("decoder", "mask_decoder.iou_token.weight")),
                "a decoder tensor is not part of the encoder's identity");
        assertNotEquals(sam.id(), idOf(rewritten("neck", "image_encoder.neck.1.weight")));
        assertNotEquals(sam.id(), idOf(rewritten("pos", "image_encoder.pos_embed")));
    }

    private ModelId idOf(Path file) throws IOException {
        return Sam.fromSource(SafetensorsSource.open(file, backend), backend).id();
    }

    /** The tiny model written again, with the first float of {@code changed} (if any) altered. */
    private Path rewritten(String name, String changed) throws IOException {
        SafetensorsFile src = SafetensorsFile.open(TINY);
        List<SafetensorsFile.Entry> entries = new ArrayList<>();
        for (String n : src.names()) {
            SafetensorsFile.Entry e = src.get(n);
            MemorySegment data = e.data();
            if (n.equals(changed)) {
                data = MemorySegment.ofArray(data.toArray(ValueLayout.JAVA_BYTE));
                data.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 0, data.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 0) + 0.25f);
            }
            entries.add(new SafetensorsFile.Entry(n, e.dtype(), e.shape(), data));
        }
        Path out = tmp.resolve(name + ".safetensors");
        SafetensorsWriter.write(out, src.metadata(), entries);
        return out;
    }

    private static void writeEmbedding(Path file, Map<String, String> meta) throws IOException {
        byte[] zeros = new byte[4 * 8 * 64 * 64];
        SafetensorsWriter.write(file, meta, List.of(new SafetensorsFile.Entry("features", DType.F32,
                new int[] {1, 8, 64, 64}, MemorySegment.ofArray(zeros))));
    }
}
