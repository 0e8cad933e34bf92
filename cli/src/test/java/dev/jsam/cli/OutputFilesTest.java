package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.tensor.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the command line writes: everything with the permissions the umask gives (compared with a
 * folder and a file created plainly in the same run), the best mask of each prompt marked in
 * result.json, amg's outputs for images sharing a stem and its line when no mask passes the
 * thresholds, and convert's refusal to replace a file without --force.
 */
class OutputFilesTest {
    @TempDir
    Path tmp;

    @Test
    void predictWritesWithTheUmaskAndMarksTheBestMask() throws Exception {
        Path out = tmp.resolve("out");
        SamCliTest.Run r = SamCliTest.sam("predict", "--checkpoint", SamCliTest.checkpoint(), "--image", SamCliTest.dog(),
                "--point", "500,375", "--box", "10,20,300,400", "--box", "400,100,790,520", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertUmaskPermissions(out);

        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(out.resolve("result.json")));
        List<?> masks = (List<?>) json.get("masks");
        assertEquals(6, masks.size(), "two prompts of three masks");
        for (int prompt = 0; prompt < 2; prompt++) {
            int best = -1;
            List<Integer> marked = new java.util.ArrayList<>();
            for (Object o : masks) {
                Map<?, ?> m = (Map<?, ?>) o;
                if (((Number) m.get("prompt")).intValue() != prompt) {
                    continue;
                }
                int index = ((Number) m.get("index")).intValue();
                double iou = ((Number) m.get("iou_prediction")).doubleValue();
                if (best < 0 || iou > ((Number) ((Map<?, ?>) masks.get(best)).get("iou_prediction")).doubleValue()) {
                    best = index;
                }
                if (Boolean.TRUE.equals(m.get("best"))) {
                    marked.add(index);
                }
            }
            assertEquals(List.of(best), marked, "exactly the highest-IoU mask of prompt " + prompt + " is marked");
        }
    }

    @Test
    void amgNamesSameStemImagesApartAndSaysWhenNoMaskPasses() throws Exception {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Files.copy(Golden.testdata("images/dog.png"), in.resolve("x.png"));
        ImageIO.write(ImageIO.read(in.resolve("x.png").toFile()), "jpg", in.resolve("x.jpg").toFile());
        Path out = tmp.resolve("out");
        SamCliTest.Run r = SamCliTest.sam("amg", "--checkpoint", SamCliTest.checkpoint(), "--input", in.toString(),
                "--output", out.toString(), "--convert-to-rle", "--points-per-side", "2", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("x.jpg and x.png would share the output name \"x\""), r.err());
        for (String name : List.of("x.jpg", "x.png")) {
            assertEquals(List.of(), Json.parse(Files.readString(out.resolve(name + ".json"))), "no masks: the tiny model");
            assertTrue(Files.isRegularFile(out.resolve(name + ".overlay.png")));
        }
        assertFalse(Files.exists(out.resolve("x.json")));
        assertEquals(2, r.err().lines().filter(l -> l.contains(
                "no mask passed --pred-iou-thresh 0.88, --stability-score-thresh 0.95; lower them")).count(), r.err());
        assertUmaskPermissions(out);
    }

    @Test
    void convertReplacesAnExistingFileOnlyWithForce() throws Exception {
        Path pth = Golden.testdata("golden/tiny/sam_tiny.pth");
        Path target = tmp.resolve("notes.txt");
        Files.writeString(target, "mine");
        SamCliTest.Run r = SamCliTest.sam("convert", pth.toString(), target.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("exists; add --force"), r.err());
        assertEquals("mine", Files.readString(target));
        r = SamCliTest.sam("convert", pth.toString(), target.toString(), "--force");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(target) > 1000, "replaced by the converted checkpoint");
    }

    /** Every folder and file under root has what a plain mkdir / create gives in this process. */
    private void assertUmaskPermissions(Path root) throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Set<PosixFilePermission> folder = Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("probe-dir")));
        Set<PosixFilePermission> file = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("probe-file")));
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Set<PosixFilePermission> expected = Files.isDirectory(p) ? folder : file;
                assertEquals(PosixFilePermissions.toString(expected),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
            }
        }
        Files.delete(tmp.resolve("probe-dir"));
        Files.delete(tmp.resolve("probe-file"));
    }
}
