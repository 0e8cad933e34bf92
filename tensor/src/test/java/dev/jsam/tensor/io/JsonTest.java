package dev.jsam.tensor.io;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parser types, number rules, escapes, error positions, and write/parse round trips. */
class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5, 3e2, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": 0} ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("a", "b", "e"), new ArrayList<>(m.keySet()));
        List<?> a = assertInstanceOf(ArrayList.class, m.get("a"));
        assertEquals(1L, a.get(0));
        assertEquals(-2.5, a.get(1));
        assertEquals(300.0, a.get(2));
        assertEquals(Boolean.TRUE, a.get(3));
        assertEquals(Boolean.FALSE, a.get(4));
        assertNull(a.get(5));
        assertEquals(Map.of("c", "d"), m.get("b"));
        assertEquals(0L, m.get("e"));
    }

    @Test
    void integersBeyondLongBecomeDoubles() {
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(9.223372036854775808E18, Json.parse("9223372036854775808"));
        assertInstanceOf(Double.class, Json.parse("1.0"));
        assertInstanceOf(Double.class, Json.parse("1E3"));
    }

    @Test
    void decodesEscapes() {
        assertEquals("q\"b\\s/\b\f\n\r\té\uD83D\uDE00",
                Json.parse("\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
    }

    @Test
    void errorsNameLineColumnAndExpectation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\n  \"a\": 1,\n  \"b\" 2\n}"));
        assertTrue(e.getMessage().contains("3:7"), e.getMessage());
        assertTrue(e.getMessage().contains("expected ':'"), e.getMessage());

        assertError("[1, 2", "1:6", "',' or ']'");
        assertError("[1,]", "1:4", "a value");
        assertError("{\"a\":1,}", "1:8", "a string key");
        assertError("01", "1:2", "end of input");
        assertError("-", "1:2", "a digit");
        assertError("1.", "1:3", "a digit after '.'");
        assertError("1e+", "1:4", "exponent");
        assertError("tru", "1:1", "'true'");
        assertError("\"a\tb\"", "1:3", "control character");
        assertError("\"\\x\"", "1:3", "\\uXXXX");
        assertError("\"\\u12g4\"", "1:6", "hexadecimal");
        assertError("\"abc", "1:5", "closing");
        assertError("{\"a\":1,\"a\":2}", "1:8", "duplicate key");
        assertError("1e400", "1:1", "double range");
        assertError("NaN", "1:1", "a value");
        assertError("", "1:1", "a value");
        assertError("{} x", "1:4", "end of input after the value");
        assertError("[".repeat(600), "1:513", "nesting");
    }

    private static void assertError(String text, String position, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().contains(" " + position + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void writesCompactAndPretty() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\u0001");
        m.put("n", List.of(1, 2L, 2.5, 1.0f));
        m.put("b", true);
        m.put("z", null);
        m.put("e", List.of());
        m.put("o", Map.of());
        String compact = Json.write(m);
        assertEquals("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":[1,2,2.5,1.0],\"b\":true,\"z\":null,\"e\":[],\"o\":{}}",
                compact);
        String pretty = Json.writePretty(Map.of("k", List.of(1, 2)));
        assertEquals("{\n  \"k\": [\n    1,\n    2\n  ]\n}", pretty);
        assertEquals(Json.parse(compact), Json.parse(Json.writePretty(m)));
    }

    @Test
    void roundTripsStringsAndNumbers() {
        List<Object> values = Arrays.asList("\u2028\u0000é\uD83D\uDE00", 1e-300, -0.0, 123456789012345L,
                Double.MIN_VALUE, Double.MAX_VALUE, 0.1);
        assertEquals(values, Json.parse(Json.write(values)));
    }

    @Test
    void refusesNonFiniteNumbersAndUnknownTypes() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Float.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
    }
}
