package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.sam.amg.CocoRle;
import dev.jsam.sam.amg.Rle;
import dev.jsam.tensor.io.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `sam amg` with the tiny model: the reference's smoke case (amg_model_smoke.json) written as
 * scripts/amg.py writes it (mask PNGs and metadata.csv, or COCO RLE JSON), for a folder of
 * images in which a non-image is skipped.
 */
@Tag("golden")
@Tag("slow")
class AmgCommandTest {
    @TempDir
    Path tmp;

    @Test
    void folderOfImagesMatchesTheReferenceSmokeCase() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Files.copy(Golden.testdata("images/dog.png"), in.resolve("dog.png"));
        Files.writeString(in.resolve("notes.txt"), "not an image");
        Map<String, Object> golden = Golden.json("golden/tiny/amg_model_smoke.json");
        List<?> expected = (List<?>) golden.get("annotations");

        Path out = tmp.resolve("out");
        SamCliTest.Run r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", in.toString(), "--output",
                out.toString(), "--points-per-side", "8", "--points-per-batch", "16", "--pred-iou-thresh", "0",
                "--stability-score-thresh", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("notes.txt"), "the non-image is reported as skipped: " + r.err());
        List<String> csv = Files.readAllLines(out.resolve("dog/metadata.csv"));
        assertEquals(AmgWriter.CSV_HEADER, csv.get(0));
        assertEquals(expected.size(), csv.size() - 1, "number of masks");
        long differing = 0;
        for (int i = 0; i < expected.size(); i++) {
            Map<?, ?> e = (Map<?, ?>) expected.get(i);
            String[] row = csv.get(i + 1).split(",");
            assertEquals(((Number) e.get("area")).intValue(), Integer.parseInt(row[1]), "area of mask " + i);
            List<?> bbox = (List<?>) e.get("bbox");
            for (int k = 0; k < 4; k++) {
                assertEquals(((Number) bbox.get(k)).intValue(), Integer.parseInt(row[2 + k]), "bbox of mask " + i);
            }
            List<?> point = (List<?>) ((List<?>) e.get("point_coords")).get(0);
            assertEquals(((Number) point.get(0)).doubleValue(), Double.parseDouble(row[6]), 1e-9);
            assertEquals(((Number) point.get(1)).doubleValue(), Double.parseDouble(row[7]), 1e-9);
            assertEquals(((Number) e.get("predicted_iou")).doubleValue(), Double.parseDouble(row[8]), Golden.IOU_MAX_ABS);
            Map<?, ?> seg = (Map<?, ?>) e.get("segmentation");
            int[] counts = ((List<?>) seg.get("counts")).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
            boolean[] ref = new Rle(534, 800, counts).toMask().data();
            BufferedImage png = ImageIO.read(out.resolve("dog/" + i + ".png").toFile());
            for (int y = 0; y < 534; y++) {
                for (int x = 0; x < 800; x++) {
                    if (((png.getRaster().getSample(x, y, 0) != 0)) != ref[y * 800 + x]) {
                        differing++;
                    }
                }
            }
        }
        assertTrue(differing <= Golden.MASK_PIXEL_FRACTION * expected.size() * 534 * 800, differing + " pixels differ");
        assertTrue(Files.isRegularFile(out.resolve("dog/overlay.png")));

        Path outRle = tmp.resolve("rle");
        r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", in.resolve("dog.png").toString(),
                "--output", outRle.toString(), "--convert-to-rle", "--points-per-side", "8", "--points-per-batch", "16",
                "--pred-iou-thresh", "0", "--stability-score-thresh", "0");
        assertEquals(0, r.code(), r.err());
        List<?> records = (List<?>) Json.parse(Files.readString(outRle.resolve("dog.json")));
        assertEquals(expected.size(), records.size());
        Map<?, ?> first = (Map<?, ?>) records.get(0);
        Rle decoded = CocoRle.decode((String) ((Map<?, ?>) first.get("segmentation")).get("counts"), 534, 800);
        assertEquals(((Number) first.get("area")).intValue(), decoded.area());
        assertTrue(Files.isRegularFile(outRle.resolve("dog.overlay.png")));
    }

    @Test
    void invalidParametersAreRefused() {
        SamCliTest.Run r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", "x", "--output",
                tmp.resolve("o").toString(), "--points-per-side", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--points-per-side must be >= 1"), r.err());
        r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", "x", "--output",
                tmp.resolve("o").toString(), "--crop-overlap-ratio", "abc");
        assertTrue(r.err().contains("--crop-overlap-ratio wants a number"), r.err());
    }

    @Test
    void pythonFloatRepr() {
        assertEquals("0.9512345671653748", PyFloat.repr(0.9512345671653748));
        assertEquals("1e-05", PyFloat.repr(1e-5));
        assertEquals("0.0001", PyFloat.repr(1e-4));
        assertEquals("337.5625", PyFloat.repr(337.5625));
        assertEquals("12345678.0", PyFloat.repr(12345678.0));
        assertEquals("1e+16", PyFloat.repr(1e16));
        assertEquals("-2.5e-07", PyFloat.repr(-2.5e-7));
        assertEquals("100.0", PyFloat.repr(100));
    }
}
