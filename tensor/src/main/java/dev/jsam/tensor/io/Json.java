package dev.jsam.tensor.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) parser and writer for headers and config files, JDK only.
 * Parsing yields LinkedHashMap, ArrayList, String, Long (integers that fit), Double, Boolean or
 * null; duplicate object keys, trailing garbage and non-finite numbers are errors. It is not a
 * data-binding library and does not stream: the whole text is in memory.
 * Stateless static methods: thread-safe.
 */
public final class Json {
        private Json() {
    }

    /**
     * Parses one JSON value that makes up the whole text (surrounding whitespace allowed).
     *
     * @throws IllegalArgumentException naming the line:column and what was expected
     */
    public static Object parse(String text) {
        JsonParser p = new JsonParser(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (!p.atEnd()) {
            throw p.error("end of input after the value");
        }
        return value;
    }

    /** Compact JSON text of a Map (String keys), List, String, Number, Boolean or null. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, value, -1, 0);
        return sb.toString();
    }

    /** Like {@link #write} with two-space indentation and one member or element per line. */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        writeValue(sb, value, 2, 0);
        return sb.toString();
    }

    private static void writeValue(StringBuilder sb, Object value, int indent, int level) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> writeString(sb, s);
            case Boolean b -> sb.append(b.booleanValue());
            case Number n -> writeNumber(sb, n);
            case Map<?, ?> map -> writeObject(sb, map, indent, level);
            case List<?> list -> writeArray(sb, list, indent, level);
            default -> throw new IllegalArgumentException(
                    "cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> map, int indent, int level) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            newline(sb, indent, level + 1);
            writeString(sb, key);
            sb.append(indent < 0 ? ":" : ": ");
            writeValue(sb, e.getValue(), indent, level + 1);
        }
        newline(sb, indent, level);
        sb.append('}');
    }

    private static void writeArray(StringBuilder sb, List<?> list, int indent, int level) {
        if (list.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            newline(sb, indent, level + 1);
            writeValue(sb, list.get(i), indent, level + 1);
        }
        newline(sb, indent, level);
        sb.append(']');
    }

    private static void newline(StringBuilder sb, int indent, int level) {
        if (indent >= 0) {
            sb.append('\n').repeat(' ', indent * level);
        }
    }

    private static void writeNumber(StringBuilder sb, Number n) {
        switch (n) {
            case Double d -> sb.append(finite(d));
            case Float f -> sb.append(finite(f.doubleValue()));
            case Long _, Integer _, Short _, Byte _, BigInteger _ -> sb.append(n);
            case BigDecimal bd -> sb.append(bd.toString());
            default -> throw new IllegalArgumentException("cannot write a " + n.getClass().getName() + " as JSON");
        }
    }

    private static double finite(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no representation for " + d);
        }
        return d;
    }

    private static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
