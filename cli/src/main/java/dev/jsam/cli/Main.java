package dev.jsam.cli;

import dev.jsam.convert.CheckpointException;
import dev.jsam.serve.ServeCommand;
import dev.jsam.tensor.io.SafetensorsException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * The `sam` command line: one entry, subcommands, `--help` everywhere, `--version`. Bad input
 * (arguments, missing or malformed input files, outputs we must not write) exits with 2 and one
 * line naming the problem; a failure while working exits with 1, also in one line; no stack
 * traces unless JSAM_DEBUG is set.
 */
public final class Main {
    /** A subcommand: what it accepts (for help) and how it runs. */
    record Command(CommandSpec spec, Runner runner) {
    }

    /** Runs a subcommand on its arguments and returns the exit code. */
    @FunctionalInterface
    interface Runner {
        int run(String[] args, PrintStream out, PrintStream err) throws IOException;
    }

    static final List<Command> COMMANDS = List.of(
            new Command(DemoCommand.SPEC, DemoCommand::run),
            new Command(PredictCommand.SPEC, PredictCommand::run),
            new Command(EmbedCommand.SPEC, EmbedCommand::run),
            new Command(AmgCommand.SPEC, AmgCommand::run),
            new Command(ConvertCommand.SPEC, ConvertCommand::run),
            new Command(ServeCommand.SPEC, ServeCommand::run));

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** What `sam --help` prints: generated from the subcommands' specs. */
    static String usage() {
        StringBuilder b = new StringBuilder("""
                sam: Segment Anything on the JVM

                usage: sam <command> [options]     (sam <command> --help for its options)
                       sam --version

                commands:
                """);
        for (Command c : COMMANDS) {
            b.append(String.format("  %-9s %s%n", c.spec().name(), c.spec().summary()));
        }
        return b.toString();
    }

    /** Runs a command line and returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("--version")) {
            out.println("jsam " + Version.get());
            return 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            Command command = COMMANDS.stream().filter(c -> c.spec().name().equals(args[0])).findFirst()
                    .orElseThrow(() -> new UsageException("unknown command \"" + args[0] + "\" (sam --help lists them)"));
            if (Arrays.asList(rest).contains("--help")) {
                out.print(command.spec().help());
                return 0;
            }
            return command.runner().run(rest, out, err);
        } catch (UsageException e) {
            err.println("sam " + args[0] + ": " + ErrorLine.of(e));
            return 2;
        } catch (IllegalArgumentException | IllegalStateException | SafetensorsException | CheckpointException e) {
            return fail(args[0], e, 2, err);
        } catch (IOException | UncheckedIOException | OutOfMemoryError e) {
            return fail(args[0], e, 1, err);
        } catch (RuntimeException e) {
            debug(e, err);
            err.println("sam " + args[0] + ": internal error: " + ErrorLine.of(e) + " (JSAM_DEBUG=1 shows where)");
            return 1;
        }
    }

    private static int fail(String command, Throwable e, int code, PrintStream err) {
        debug(e, err);
        err.println("sam " + command + ": " + ErrorLine.of(e));
        return code;
    }

    private static void debug(Throwable e, PrintStream err) {
        if (System.getenv("JSAM_DEBUG") != null) {
            e.printStackTrace(err);
        }
    }
}
