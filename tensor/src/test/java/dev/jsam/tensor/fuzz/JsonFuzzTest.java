package dev.jsam.tensor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsam.tensor.io.Json;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the JSON parser that reads safetensors headers, config files and the server's request
 * bodies: any text parses or is an IllegalArgumentException, never another exception, a stack
 * overflow or a hang; and what parses writes back to text that parses to the same value.
 */
class JsonFuzzTest {
    @FuzzTest
    void parsesOrRefusesAndRoundTrips(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Object value;
        try {
            value = Json.parse(text);
        } catch (IllegalArgumentException declared) {
            return;
        }
        assertEquals(value, Json.parse(Json.write(value)), text);
    }
}
