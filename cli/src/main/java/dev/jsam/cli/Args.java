package dev.jsam.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line parser: `--name value`, `--name=value`, repeatable options, boolean
 * flags and positional arguments. Every option must be declared; an unknown one is an error
 * that names it. Values are parsed on access, so a bad number names its flag.
 */
public final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /** Parses args given the options that take a value and the boolean flags. */
    public static Args parse(String[] args, Set<String> valued, Set<String> flags) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (s.startsWith("--")) {
                String name = s;
                String value = null;
                int eq = s.indexOf('=');
                if (eq > 0) {
                    name = s.substring(0, eq);
                    value = s.substring(eq + 1);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException(name + " takes no value");
                    }
                    a.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                } else {
                    throw new UsageException("unknown option " + name + " (see --help)");
                }
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The single value of an option, or null; given twice is an error. */
    public String get(String name) {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw new UsageException(name + " given " + v.size() + " times; it takes one value");
        }
        return v.isEmpty() ? null : v.get(0);
    }

    public String require(String name) {
        String v = get(name);
        if (v == null) {
            throw new UsageException("missing " + name);
        }
        return v;
    }

    public int getInt(String name, int dflt) {
        String v = get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " wants an integer, got \"" + v + "\"");
        }
    }

    public double getDouble(String name, double dflt) {
        String v = get(name);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " wants a number, got \"" + v + "\"");
        }
    }

    public List<String> positional() {
        return positional;
    }

    /** Parses "a,b,c" into exactly n finite numbers, naming the flag and the value on error. */
    public static double[] numbers(String flag, String value, int min, int max) {
        String[] parts = value.split(",", -1);
        if (parts.length < min || parts.length > max) {
            throw new UsageException(flag + " " + value + ": expected " + (min == max ? min : min + " or " + max)
                    + " comma-separated numbers");
        }
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException(flag + " " + value + ": \"" + parts[i] + "\" is not a number");
            }
            if (!Double.isFinite(out[i])) {
                throw new UsageException(flag + " " + value + ": \"" + parts[i] + "\" is not a finite number");
            }
        }
        return out;
    }
}
