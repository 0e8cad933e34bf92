package dev.jsam.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a subcommand accepts, written once: its name, a one-line summary, the synopsis, its
 * positional arguments and its options with their help. `sam --help`, `sam X --help` and the
 * parser are all generated from it, so an option cannot be accepted without being documented.
 */
public record CommandSpec(String name, String summary, String synopsis, int positionals, List<Option> options,
                          String notes) {

    /** An option: name, a placeholder for its value (null for a flag), and one line of help. */
    public record Option(String name, String value, String help) {
        public static Option flag(String name, String help) {
            return new Option(name, null, help);
        }

        public static Option valued(String name, String value, String help) {
            return new Option(name, value, help);
        }
    }

    public static final int MAX_THREADS = 1024;
    public static final Option CHECKPOINT = Option.valued("--checkpoint", "C",
            "a SAM checkpoint in safetensors form (sam convert makes one from a .pth)");
    public static final Option IMAGE = Option.valued("--image", "I", "the image (PNG, JPEG, BMP, GIF, TIFF, WBMP)");
    public static final Option THREADS = Option.valued("--threads", "N",
            "CPU threads, 1.." + MAX_THREADS + " (default: all cores)");
    public static final Option DEVICE = Option.valued("--device", "D",
            "cpu (default), cpu-reference or cuda[:N][:cublas]");
    private static final Option HELP = Option.flag("--help", "show this help");

    /** Parses argv against the options; more positional arguments than declared is a usage error. */
    public Args parse(String[] argv) {
        Set<String> valued = new LinkedHashSet<>();
        Set<String> flags = new LinkedHashSet<>();
        for (Option o : allOptions()) {
            (o.value() == null ? flags : valued).add(o.name());
        }
        Args args = Args.parse(argv, valued, flags);
        if (args.positional().size() > positionals) {
            throw new UsageException("unexpected argument \"" + args.positional().get(positionals)
                    + "\" (sam " + name + " --help lists what it takes)");
        }
        return args;
    }

    /** The text `sam NAME --help` prints: synopsis, summary, each option, then notes. */
    public String help() {
        StringBuilder b = new StringBuilder("usage: sam ").append(name).append(' ').append(synopsis).append("\n\n");
        b.append(summary).append("\n\noptions:\n");
        int width = 0;
        for (Option o : allOptions()) {
            width = Math.max(width, label(o).length());
        }
        for (Option o : allOptions()) {
            b.append("  ").append(String.format("%-" + width + "s", label(o))).append("  ").append(o.help()).append('\n');
        }
        if (!notes.isEmpty()) {
            b.append('\n').append(notes.stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private List<Option> allOptions() {
        return Stream.concat(options.stream(), Stream.of(HELP)).toList();
    }

    private static String label(Option o) {
        return o.value() == null ? o.name() : o.name() + " " + o.value();
    }
}
