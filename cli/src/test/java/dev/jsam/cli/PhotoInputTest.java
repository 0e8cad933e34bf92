package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.tensor.io.Json;
import dev.jsam.tensor.io.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import static dev.jsam.cli.SamCliTest.checkpoint;
import static dev.jsam.cli.SamCliTest.sam;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Photos through `sam predict`, `embed` and `amg`: an EXIF-rotated JPEG gives results in the
 * upright frame (result.json's size, the masks' shape, the overlay, the mask PNGs, the amg
 * folder), or in the stored frame with --ignore-exif-orientation; a JPEG cut short is bad input
 * (exit 2, one line naming the file), not grey filler.
 */
class PhotoInputTest {
    @TempDir
    Path tmp;

    private static String photo() {
        return Golden.testdata("images/realworld/dog_exif6.jpg").toString();
    }

    /** Runs predict on the rotated photo and checks every output is {@code w} x {@code h}. */
    private void assertPredictFrame(Path out, int w, int h, String... extra) throws Exception {
        String[] args = {"predict", "--checkpoint", checkpoint(), "--image", photo(), "--point", "100,100",
            "--out", out.toString()};
        String[] all = Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        SamCliTest.Run r = sam(all);
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(out.resolve("result.json")));
        assertEquals(List.of((long) h, (long) w), json.get("image_size_hw"));
        assertArrayEquals(new long[] {3, h, w}, Arrays.stream(SafetensorsFile.open(out.resolve("result.safetensors"))
                .get("masks").shape()).asLongStream().toArray());
        for (String png : List.of("overlay.png", "mask_0.png")) {
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertEquals(w, image.getWidth(), png);
            assertEquals(h, image.getHeight(), png);
        }
    }

    @Test
    void predictWorksInTheUprightFrameUnlessToldNotTo() throws Exception {
        assertPredictFrame(tmp.resolve("upright"), 800, 534);
        assertPredictFrame(tmp.resolve("stored"), 534, 800, ImageInput.IGNORE_EXIF_ORIENTATION);
    }

    @Test
    void embedAndAmgUseTheUprightFrame() throws Exception {
        Path embedding = tmp.resolve("e.safetensors");
        assertEquals(0, sam("embed", "--checkpoint", checkpoint(), "--image", photo(), "--out", embedding.toString())
                .code());
        SamCliTest.Run mismatch = sam("predict", "--checkpoint", checkpoint(), "--image", photo(), "--point", "1,1",
                "--embedding", embedding.toString(), "--out", tmp.resolve("p").toString(),
                ImageInput.IGNORE_EXIF_ORIENTATION);
        assertEquals(2, mismatch.code(), "an upright embedding does not fit the stored frame: " + mismatch.err());
        Path masks = tmp.resolve("masks");
        assertEquals(0, sam("amg", "--checkpoint", checkpoint(), "--input", photo(), "--output", masks.toString(),
                "--points-per-side", "2", "--pred-iou-thresh", "-10", "--stability-score-thresh", "-10").code());
        BufferedImage overlay = ImageIO.read(masks.resolve("dog_exif6").resolve("overlay.png").toFile());
        assertEquals(800, overlay.getWidth());
        assertEquals(534, overlay.getHeight());
    }

    @Test
    void truncatedPhotoIsBadInputNamingTheFile() throws Exception {
        byte[] bytes = Files.readAllBytes(Path.of(photo()));
        Path cut = tmp.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        SamCliTest.Run predict = sam("predict", "--checkpoint", checkpoint(), "--image", cut.toString(), "--point", "1,1",
                "--out", tmp.resolve("out").toString());
        SamCliTest.Run embed = sam("embed", "--checkpoint", checkpoint(), "--image", cut.toString(), "--out",
                tmp.resolve("e.safetensors").toString());
        for (SamCliTest.Run r : List.of(predict, embed)) {
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(cut.toString()) && r.err().contains("cut short or corrupt"), r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("out")) || Files.exists(tmp.resolve("e.safetensors")), "no output");
    }
}
