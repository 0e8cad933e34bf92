package dev.jsam.cli;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;

/** `sam embed`: runs the image encoder once and writes the embedding for later `predict --embedding`. */
final class EmbedCommand {
    static final String USAGE = """
            usage: sam embed --checkpoint C --image I --out E.safetensors [--threads N] [--device cpu|cuda]
                             [--ignore-exif-orientation]
            """ + ImageInput.HELP;

    private EmbedCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = Args.parse(argv, Set.of("--checkpoint", "--image", "--out", "--threads", "--device"), Set.of("--help",
                ImageInput.IGNORE_EXIF_ORIENTATION));
        if (args.has("--help")) {
            out.print(USAGE);
            return 0;
        }
        Path checkpoint = Path.of(args.require("--checkpoint"));
        Path outFile = Path.of(args.require("--out"));
        RgbImage image = ImageInput.read(Path.of(args.require("--image")), args);
        try (Backend backend = ModelLoader.backend(args)) {
            Sam sam = ModelLoader.load(checkpoint, backend);
            SamPredictor predictor = new SamPredictor(sam);
            long t0 = System.nanoTime();
            err.print("encoding image ... ");
            err.flush();
            predictor.setImage(image);
            err.printf("%.2f s%n", (System.nanoTime() - t0) / 1e9);
            predictor.getImageEmbedding().save(outFile);
            err.println("wrote " + outFile);
        }
        return 0;
    }
}
