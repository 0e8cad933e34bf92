package dev.jsam.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags of a bin/sam-spark command: {@code --name value} pairs and bare switches, each
 * known to the command and given at most once. A mistake is a {@link Usage} error in one line.
 */
final class CliArgs {
    /** A command-line mistake; the command exits with 2 after printing its message. */
    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * @param valued   the flags that take a value
     * @param switches the flags that stand alone
     */
    CliArgs(List<String> args, Set<String> valued, Set<String> switches) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (switches.contains(name) && value == null) {
                value = "true";
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 == args.size() || args.get(i + 1).startsWith("--")) {
                        throw new Usage(name + " needs a value");
                    }
                    value = args.get(++i);
                }
            } else {
                throw new Usage(a.startsWith("--") ? "unknown option " + name + " (see --help)" : "unexpected argument '" + a + "'");
            }
            if (values.put(name, value) != null) {
                throw new Usage(name + " is given twice");
            }
        }
    }

    String get(String flag) {
        return values.get(flag);
    }

    String get(String flag, String dflt) {
        return values.getOrDefault(flag, dflt);
    }

    boolean has(String flag) {
        return values.containsKey(flag);
    }

    String require(String flag) {
        String v = values.get(flag);
        if (v == null || v.isBlank()) {
            throw new Usage(flag + " is required (see --help)");
        }
        return v;
    }

    /** A whole number of at least 1, or {@code dflt} when the flag is absent. */
    int positive(String flag, int dflt) {
        String v = values.get(flag);
        try {
            return v == null ? dflt : SamOptions.integer(flag, v, 1, Integer.MAX_VALUE);
        } catch (IllegalArgumentException e) {
            throw new Usage(e.getMessage());
        }
    }

    /** The flags whose names, with - for _, are option keys of {@link SamOptions}, as those options. */
    Map<String, String> samOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        values.forEach((flag, value) -> {
            String key = flag.substring(2).replace('-', '_');
            if (SamOptions.KEYS.containsKey(key)) {
                options.put(key, value);
            }
        });
        return options;
    }

    /** The flag spelling of an option key (points_per_side: --points-per-side). */
    static String flag(String key) {
        return "--" + key.replace('_', '-');
    }
}
