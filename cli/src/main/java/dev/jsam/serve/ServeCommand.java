package dev.jsam.serve;

import dev.jsam.sam.amg.AmgParams;
import dev.jsam.cli.Args;
import dev.jsam.cli.CommandSpec;
import dev.jsam.cli.MemoryBudget;
import dev.jsam.cli.ImageInput;
import dev.jsam.cli.ModelLoader;
import dev.jsam.cli.UsageException;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * `sam serve`: loads a checkpoint (safetensors or .pth) once, starts {@link SamServer} and prints its URL,
 * then serves until the process is stopped (Ctrl-C). Binds to 127.0.0.1 unless --host says otherwise.
 */
public final class ServeCommand {
    public static final CommandSpec SPEC = new CommandSpec("serve",
            "a web page and JSON API for segmenting images interactively (127.0.0.1:8080)",
            """
            --checkpoint C.safetensors [--port 8080] [--host 127.0.0.1] [--threads N]
                             [--device D] [--cache-mb 512] [--max-upload-mb 50]
                             [--max-megapixels 50] [--amg-points-per-side 32]
                             [--request-timeout 30] [--max-connections 256]
                             [--memory-mb M] [--ignore-exif-orientation]""", 0, List.of(
            CommandSpec.CHECKPOINT,
            CommandSpec.Option.valued("--port", "P", "TCP port, 0..65535 (default 8080)"),
            CommandSpec.Option.valued("--host", "H",
                    "address to bind (default 127.0.0.1); 0.0.0.0 serves other machines, with no authentication"),
            CommandSpec.THREADS, CommandSpec.DEVICE,
            CommandSpec.Option.valued("--cache-mb", "M", "memory for embeddings kept, least recently used forgotten first (512)"),
            CommandSpec.Option.valued("--max-upload-mb", "M", "largest image upload (50)"),
            CommandSpec.Option.valued("--max-megapixels", "M", "largest image accepted (50)"),
            CommandSpec.Option.valued("--amg-points-per-side", "N",
                    "the point grid of \"segment everything\", 1..64 (32; fewer is faster)"),
            CommandSpec.Option.valued("--request-timeout", "S",
                    "seconds a client may take to send a whole request before it is cut off (30)"),
            CommandSpec.Option.valued("--max-connections", "N", "connections open at once; more wait to be accepted (256)"),
            MemoryBudget.OPTION, ImageInput.OPTION), """
            With --device cuda the model's calls run one at a time on the GPU and requests queue for them.
            Uploads, prompts and "segment everything" each reserve the heap they need from --memory-mb
            less --cache-mb before they start: 413 when one never could fit, 503 when it does not fit
            beside the work in flight (README, "Memory").""");

    private ServeCommand() {
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = SPEC.parse(argv);
        Path checkpoint = Path.of(args.require("--checkpoint"));
        int port = args.getInt("--port", ServerOptions.DEFAULT_PORT);
        int cacheMb = args.getInt("--cache-mb", 512);
        int uploadMb = args.getInt("--max-upload-mb", 50);
        double megapixels = args.getDouble("--max-megapixels", 50);
        int amgPoints = args.getInt("--amg-points-per-side", AmgParams.defaults().pointsPerSide());
        int requestTimeout = args.getInt("--request-timeout", ServerOptions.DEFAULT_REQUEST_TIMEOUT_SECONDS);
        int maxConnections = args.getInt("--max-connections", ServerOptions.DEFAULT_MAX_CONNECTIONS);
        if (port < 0 || port > 65535 || cacheMb < 1 || uploadMb < 1 || megapixels <= 0
                || amgPoints < 1 || amgPoints > 64 || requestTimeout < 1 || maxConnections < 1) {
            throw new UsageException("--port must be 0..65535, --amg-points-per-side 1..64, and "
                    + "--cache-mb, --max-upload-mb, --max-megapixels, --request-timeout, --max-connections positive");
        }
        String host = args.get("--host") == null ? ServerOptions.DEFAULT_HOST : args.get("--host");
        ServerOptions options = ServerOptions.defaults().withAddress(host, port)
                .withLimits((long) cacheMb << 20, (long) uploadMb << 20, Math.max(1, (long) (megapixels * 1e6)))
                .withConnectionLimits(requestTimeout, maxConnections)
                .withAmgDefaults(AmgParams.defaults().withPointsPerSide(amgPoints))
                .withOrientation(ImageInput.orientation(args))
                .withMemory(MemoryBudget.of(args).bytes());
        Backend backend = ModelLoader.backend(args);
        Sam sam;
        try {
            sam = ModelLoader.load(checkpoint, backend);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
        SamServer server;
        try {
            server = SamServer.start(sam, options);
        } catch (IllegalArgumentException e) {
            sam.close();
            backend.close();
            throw new UsageException(e.getMessage());
        }
        out.println("sam serve: " + sam.config().name() + " model ready; open " + server.url());
        out.println("(Ctrl-C stops the server)");
        out.flush();
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            server.close();
            sam.close();
            backend.close();
        }
        return 0;
    }
}
