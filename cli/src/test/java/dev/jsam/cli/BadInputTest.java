package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad invocation the hardening review found (and its neighbours): exit code 2, one line on
 * stderr naming the problem, no Java class name in it, nothing written. In the arguments, CK is
 * the tiny checkpoint, DOG the sample image, TINY a 10 x 6 image, FILE an empty file, DIR an
 * empty folder and OUT a path that does not exist, all in a fresh folder.
 */
class BadInputTest {
    private static final Pattern JAVA_NAME = Pattern.compile("Exception|Error\\b|\\bjava\\.|\\bdev\\.jsam\\.|\\bnull\\b");

    @TempDir
    Path tmp;

    record Case(String expected, String command) {
        @Override
        public String toString() {
            return command;
        }
    }

    static Stream<Case> cases() {
        String predict = "predict --checkpoint CK --image DOG";
        String amg = "amg --checkpoint CK --input DOG";
        return Stream.of(
                new Case("coordinates must lie within -1e6..1e6", predict + " --point 1e39,5 --out OUT"),
                new Case("coordinates must lie within -1e6..1e6", predict + " --box 0,0,2e6,5 --out OUT"),
                new Case("\"x\" is not a number", predict + " --point 1,x --out OUT"),
                new Case("--threads must be 1..1024, got 32768", predict + " --point 1,2 --threads 32768 --out OUT"),
                new Case("--threads must be 1..1024, got 0", predict + " --point 1,2 --threads 0 --out OUT"),
                new Case("--mask-input FILE/nope: no such file", predict + " --mask-input FILE/nope --out OUT"),
                new Case("--mask-input DIR: is a folder", predict + " --mask-input DIR --out OUT"),
                new Case("--mask-input FILE: file is 0 bytes", predict + " --mask-input FILE --out OUT"),
                new Case("--embedding DIR/nope: no such file", predict + " --point 1,2 --embedding DIR/nope --out OUT"),
                new Case("FILE is a file, not a folder", predict + " --point 1,2 --out FILE/sub"),
                new Case("--out FILE: is a file, not a folder", predict + " --point 1,2 --out FILE"),
                new Case("--image DIR/nope.png: no such file", "predict --checkpoint CK --image DIR/nope.png --point 1,2 --out OUT"),
                new Case("--image FILE: not an image", "predict --checkpoint CK --image FILE --point 1,2 --out OUT"),
                new Case("--checkpoint DIR: is a folder", "predict --checkpoint DIR --image DOG --point 1,2 --out OUT"),
                new Case("FILE", "predict --checkpoint FILE --image DOG --point 1,2 --out OUT"),
                new Case("unknown option --bogus", predict + " --point 1,2 --bogus --out OUT"),
                new Case("unexpected argument \"stray\"", predict + " stray --point 1,2 --out OUT"),
                new Case("--output FILE: is a file, not a folder", amg + " --output FILE"),
                new Case("--checkpoint DIR/nope: no such file", "amg --checkpoint DIR/nope --input DOG --output OUT"),
                new Case("FILE", "amg --checkpoint FILE --input DOG --output OUT"),
                new Case("--input DIR/nope: no such file or folder", "amg --checkpoint CK --input DIR/nope --output OUT"),
                new Case("--input DIR: the folder holds no files", "amg --checkpoint CK --input DIR --output OUT"),
                new Case("--crop-n-layers must be 0..4", amg + " --output OUT --crop-n-layers 9"),
                new Case("--crop-n-layers 3 cuts this 10 x 6 image into crops smaller than a pixel; at most 1",
                        "amg --checkpoint CK --input TINY --output OUT --crop-n-layers 3"),
                new Case("--device tpu", amg + " --output OUT --device tpu"),
                new Case("input DIR: is a folder", "convert DIR OUT"),
                new Case("input DIR/nope.pth: no such file", "convert DIR/nope.pth OUT"),
                new Case("not a PyTorch checkpoint", "convert DOG OUT"),
                new Case("output FILE exists; add --force", "convert PTH FILE"),
                new Case("output PTH is the input", "convert PTH PTH --force"),
                new Case("--dtype must be keep, f32, f16 or bf16", "convert PTH OUT --dtype f64"),
                new Case("--out FILE/e.safetensors: ", "embed --checkpoint CK --image DOG --out FILE/e.safetensors"),
                new Case("--out DIR: is a folder", "embed --checkpoint CK --image DOG --out DIR"),
                new Case("--threads must be 1..1024", "serve --checkpoint CK --threads 32768"),
                new Case("unknown command \"frobnicate\"", "frobnicate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exitsWithTwoAndOneLineNamingTheProblem(Case c) throws Exception {
        Files.createFile(tmp.resolve("FILE"));
        Files.createDirectory(tmp.resolve("DIR"));
        Files.copy(Golden.testdata("golden/tiny/sam_tiny.pth"), tmp.resolve("PTH"));
        Images.writePng(RgbImage.of(10, 6, new byte[10 * 6 * 3]), tmp.resolve("TINY"));
        List<Path> before = listing();

        String[] args = Stream.of(c.command().split(" ")).map(this::resolve)
                .toArray(String[]::new);
        SamCliTest.Run r = SamCliTest.sam(args);
        String err = r.err().replace(tmp + "/", "").replace(tmp.toString(), "");
        assertEquals(2, r.code(), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertTrue(err.contains(c.expected()), "stderr should say \"" + c.expected() + "\": " + err);
        assertFalse(JAVA_NAME.matcher(err).find(), "no Java names in: " + err);
        assertEquals(before, listing(), "nothing written");
    }

    private String resolve(String arg) {
        return switch (arg) {
            case "CK" -> SamCliTest.checkpoint();
            case "DOG" -> SamCliTest.dog();
            default -> arg.matches("(FILE|DIR|OUT|PTH|TINY)(/.*)?") ? tmp.resolve(arg).toString() : arg;
        };
    }

    private List<Path> listing() throws Exception {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.sorted().toList();
        }
    }
}
