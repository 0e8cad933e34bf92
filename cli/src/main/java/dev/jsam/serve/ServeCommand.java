package dev.jsam.serve;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.cli.Args;
import dev.jsam.cli.ImageInput;
import dev.jsam.cli.ModelLoader;
import dev.jsam.cli.UsageException;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * `sam serve`: loads a safetensors checkpoint once, starts {@link SamServer} and prints its URL,
 * then serves until the process is stopped (Ctrl-C). Binds to 127.0.0.1 unless --host says otherwise.
 */
public final class ServeCommand {
    static final String USAGE = """
            usage: sam serve --checkpoint C.safetensors [--port 8080] [--host 127.0.0.1] [--threads N]
                             [--device cpu|cuda[:N]] [--cache-mb 512] [--max-upload-mb 50]
                             [--max-megapixels 50] [--amg-points-per-side 32] [--ignore-exif-orientation]
              serves a web page (and a JSON API) for segmenting images interactively;
              --host 0.0.0.0 makes it reachable from other machines: there is no authentication
              --amg-points-per-side: the point grid of "segment everything" (fewer is faster)
              --device cuda: the model on the GPU, its calls one at a time (requests queue for it)
            """ + ImageInput.HELP;

    private ServeCommand() {
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = Args.parse(argv, Set.of("--checkpoint", "--port", "--host", "--threads", "--device", "--cache-mb",
                "--max-upload-mb", "--max-megapixels", "--amg-points-per-side"),
                Set.of("--help", ImageInput.IGNORE_EXIF_ORIENTATION));
        if (args.has("--help")) {
            out.print(USAGE);
            return 0;
        }
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + args.positional().get(0) + " (see --help)");
        }
        Path checkpoint = Path.of(args.require("--checkpoint"));
        if (!Files.isRegularFile(checkpoint)) {
            throw new UsageException("checkpoint " + checkpoint + " not found");
        }
        int port = args.getInt("--port", ServerOptions.DEFAULT_PORT);
        int cacheMb = args.getInt("--cache-mb", 512);
        int uploadMb = args.getInt("--max-upload-mb", 50);
        double megapixels = args.getDouble("--max-megapixels", 50);
        int amgPoints = args.getInt("--amg-points-per-side", AmgParams.defaults().pointsPerSide());
        if (port < 0 || port > 65535 || cacheMb < 1 || uploadMb < 1 || megapixels <= 0
                || amgPoints < 1 || amgPoints > 64) {
            throw new UsageException("--port must be 0..65535, --amg-points-per-side 1..64, and "
                    + "--cache-mb, --max-upload-mb, --max-megapixels positive");
        }
        String host = args.get("--host") == null ? ServerOptions.DEFAULT_HOST : args.get("--host");
        ServerOptions options = ServerOptions.defaults().withAddress(host, port)
                .withLimits((long) cacheMb << 20, (long) uploadMb << 20, Math.max(1, (long) (megapixels * 1e6)))
                .withAmgDefaults(AmgParams.defaults().withPointsPerSide(amgPoints))
                .withOrientation(ImageInput.orientation(args));
        Backend backend = ModelLoader.backend(args);
        Sam sam = Sam.fromSource(SafetensorsSource.open(checkpoint, backend), backend);
        SamServer server = SamServer.start(sam, options);
        out.println("sam serve: " + sam.config().name() + " model ready; open " + server.url());
        out.println("(Ctrl-C stops the server)");
        out.flush();
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            backend.close();
        }
        return 0;
    }
}
