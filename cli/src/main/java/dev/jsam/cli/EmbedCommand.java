package dev.jsam.cli;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** `sam embed`: runs the image encoder once and writes the embedding for later `predict --embedding`. */
final class EmbedCommand {
    static final CommandSpec SPEC = new CommandSpec("embed", "compute an image embedding once, for predict --embedding",
            "--checkpoint C --image I --out E.safetensors [--threads N] [--device D] [--ignore-exif-orientation]", 0,
            List.of(
            CommandSpec.CHECKPOINT,
            CommandSpec.IMAGE,
            CommandSpec.Option.valued("--out", "E", "the embedding file to write (replaced if it exists)"),
            CommandSpec.THREADS, CommandSpec.DEVICE, ImageInput.OPTION), "");

    private EmbedCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = SPEC.parse(argv);
        Path checkpoint = Inputs.file("--checkpoint", args.require("--checkpoint"));
        Path outFile = Path.of(args.require("--out"));
        Inputs.outputFile("--out", outFile);
        RgbImage image = Inputs.image("--image", args.require("--image"), ImageInput.orientation(args));
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
