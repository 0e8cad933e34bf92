package dev.jsam.cli;

import dev.jsam.sam.image.ImageTooLargeException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The `sam` command line: one entry, subcommands, `--help` everywhere. Bad input exits with 2
 * and one line naming the problem; a failure while working exits with 1; no stack traces unless
 * JSAM_DEBUG is set.
 */
public final class Main {
    static final String USAGE = """
            sam: Segment Anything on the JVM

            usage: sam <command> [options]     (sam <command> --help for its options)

            commands:
              demo      segment a bundled sample image with a bundled tiny model (no download needed)
              predict   masks for points, boxes and mask inputs on one image
              embed     compute an image embedding once, for predict --embedding
              amg       segment everything: masks for a grid of points over an image or a folder
              convert   a PyTorch .pth checkpoint to safetensors, without running pickle code
              serve     a web page and JSON API for segmenting images interactively (127.0.0.1:8080)
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command line and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(rest, out, err);
                case "predict" -> PredictCommand.run(rest, out, err);
                case "embed" -> EmbedCommand.run(rest, out, err);
                case "amg" -> AmgCommand.run(rest, out, err);
                case "convert" -> ConvertCommand.run(rest, out, err);
                case "serve" -> dev.jsam.serve.ServeCommand.run(rest, out, err);
                default -> throw new UsageException("unknown command \"" + args[0] + "\" (sam --help lists them)");
            };
        } catch (UsageException e) {
            err.println("sam " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (ImageTooLargeException | IllegalArgumentException | IllegalStateException e) {
            debug(e, err);
            err.println("sam " + args[0] + ": " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException | OutOfMemoryError e) {
            debug(e, err);
            err.println("sam " + args[0] + ": " + e.getMessage());
            return 1;
        }
    }

    private static void debug(Throwable e, PrintStream err) {
        if (System.getenv("JSAM_DEBUG") != null) {
            e.printStackTrace(err);
        }
    }
}
