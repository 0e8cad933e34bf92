package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.sam.amg.AmgGolden;
import dev.jsam.sam.amg.BinaryMask;
import dev.jsam.sam.amg.Rle;
import dev.jsam.tensor.io.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `sam amg` with the tiny model: the reference's smoke case (amg_model_smoke.json) written as
 * scripts/amg.py writes it (mask PNGs and metadata.csv, or COCO RLE JSON), for a folder of
 * images in which a non-image is skipped. Both outputs are held to the golden annotations mask by
 * mask ({@link AmgGolden}): the COCO strings are compared with the reference's masks, not with
 * the CLI's own decoding of them.
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
        List<Map<String, Object>> expected = AmgGolden.annotations(golden);
        AmgGolden.Bounds bounds = AmgGolden.Bounds.model(534, 800);

        Path out = tmp.resolve("out");
        SamCliTest.Run r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", in.toString(), "--output",
                out.toString(), "--points-per-side", "8", "--points-per-batch", "16", "--pred-iou-thresh", "0",
                "--stability-score-thresh", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("notes.txt"), "the non-image is reported as skipped: " + r.err());
        List<String> csv = Files.readAllLines(out.resolve("dog/metadata.csv"));
        assertEquals(AmgWriter.CSV_HEADER, csv.get(0));
        List<Map<String, Object>> written = new ArrayList<>();
        for (int i = 1; i < csv.size(); i++) {
            assertTrue(csv.get(i).startsWith((i - 1) + ","), "row " + i + " is mask " + (i - 1) + ": " + csv.get(i));
            written.add(annotation(csv.get(i), out.resolve("dog/" + (i - 1) + ".png")));
        }
        AmgGolden.assertMatches(expected, written, bounds);
        assertTrue(Files.isRegularFile(out.resolve("dog/overlay.png")));

        Path outRle = tmp.resolve("rle");
        r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", in.resolve("dog.png").toString(),
                "--output", outRle.toString(), "--convert-to-rle", "--points-per-side", "8", "--points-per-batch", "16",
                "--pred-iou-thresh", "0", "--stability-score-thresh", "0");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> records = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(Files.readString(outRle.resolve("dog.json")))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            records.add(m);
        }
        // the COCO strings against the reference's masks: identical wherever the mask is
        AmgGolden.assertMatches(expected, records, bounds);
        assertTrue(Files.isRegularFile(outRle.resolve("dog.overlay.png")));
    }

    /** One metadata.csv row and its mask PNG as the reference's annotation dict (uncompressed RLE). */
    private static Map<String, Object> annotation(String csvRow, Path png) throws Exception {
        String[] row = csvRow.split(",");
        BufferedImage image = ImageIO.read(png.toFile());
        boolean[] bits = new boolean[image.getWidth() * image.getHeight()];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                bits[y * image.getWidth() + x] = image.getRaster().getSample(x, y, 0) != 0;
            }
        }
        Rle rle = Rle.fromMask(new BinaryMask(image.getHeight(), image.getWidth(), bits));
        Map<String, Object> ann = new LinkedHashMap<>();
        ann.put("segmentation", Map.of("size", List.of(rle.height(), rle.width()),
                "counts", Arrays.stream(rle.counts()).boxed().toList()));
        ann.put("area", Integer.parseInt(row[1]));
        ann.put("bbox", List.of(Integer.parseInt(row[2]), Integer.parseInt(row[3]), Integer.parseInt(row[4]),
                Integer.parseInt(row[5])));
        ann.put("point_coords", List.of(List.of(Double.parseDouble(row[6]), Double.parseDouble(row[7]))));
        ann.put("predicted_iou", Double.parseDouble(row[8]));
        ann.put("stability_score", Double.parseDouble(row[9]));
        ann.put("crop_box", List.of(Integer.parseInt(row[10]), Integer.parseInt(row[11]), Integer.parseInt(row[12]),
                Integer.parseInt(row[13])));
        return ann;
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
