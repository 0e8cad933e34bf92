package dev.jsam.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * `sam demo`: predict on the bundled sample image with the bundled tiny checkpoint, so the whole
 * path (image, encoder, prompt, decoder, files) can be seen working without a download. The
 * tiny model has random weights: its masks are noise, and the output says so.
 */
final class DemoCommand {
    static final CommandSpec SPEC = new CommandSpec("demo",
            "segment a bundled sample image with a bundled tiny model (no download needed)", "[--out DIR] [--threads N]",
            0, List.of(CommandSpec.Option.valued("--out", "DIR", "output folder (default: sam-demo)"), CommandSpec.THREADS),
            """
            Runs `sam predict` on a bundled image (dog.png) with a bundled tiny checkpoint and a point
            on the dog. The tiny model has random weights, so its masks are noise: use `sam predict
            --checkpoint` with a converted official checkpoint for real masks.""");
    static final String NOTE = "demo: the bundled tiny model has random weights, so these masks are noise; "
            + "convert an official checkpoint (sam convert) and use sam predict --checkpoint for real masks";

    private DemoCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = SPEC.parse(argv);
        Path tmp = Files.createTempDirectory("jsam-demo-");
        try {
            Path checkpoint = extract("sam_tiny.safetensors", tmp);
            Path image = extract("dog.png", tmp);
            List<String> predict = new ArrayList<>(List.of("--checkpoint", checkpoint.toString(), "--image",
                    image.toString(), "--point", "320,300,1", "--out", args.get("--out") == null ? "sam-demo" : args.get("--out")));
            if (args.get("--threads") != null) {
                predict.addAll(List.of("--threads", args.get("--threads")));
            }
            err.println(NOTE);
            Args p = PredictCommand.SPEC.parse(predict.toArray(String[]::new));
            int rc = PredictCommand.run(p, err, NOTE);
            out.println("open " + Path.of(p.get("--out")).toAbsolutePath().resolve("overlay.png") + " to see the result");
            return rc;
        } finally {
            try (var s = Files.list(tmp)) {
                for (Path f : s.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }

    private static Path extract(String name, Path dir) throws IOException {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/jsam/cli/demo/" + name)) {
            if (in == null) {
                throw new IOException("bundled demo file " + name + " is missing from the jar");
            }
            Path f = dir.resolve(name);
            Files.copy(in, f, StandardCopyOption.REPLACE_EXISTING);
            return f;
        }
    }
}
