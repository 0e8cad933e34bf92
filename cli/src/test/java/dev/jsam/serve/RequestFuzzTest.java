package dev.jsam.serve;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jsam.sam.amg.AmgParams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the bodies `sam serve` parses from any client: a prompt request and a segment-everything
 * request each parse into a valid value or are an ApiException with a 4xx status and a one-line
 * reason, never another exception (which the server would answer with a 500) or a hang.
 */
class RequestFuzzTest {
    private static final int LOW_RES = 256;

    @FuzzTest
    void promptBodiesParseOrAre4xx(byte[] body) {
        PromptRequest r;
        try {
            r = PromptRequest.parse(body, LOW_RES);
        } catch (ApiException refused) {
            assertRefusal(refused);
            return;
        }
        assertTrue(r.points() != null || r.box() != null);
        if (r.points() != null) {
            assertEquals(r.points().length, 2 * r.labels().length);
        }
        if (r.maskInput() != null) {
            assertEquals(LOW_RES * LOW_RES, r.maskInput().length);
        }
    }

    @FuzzTest
    void amgBodiesParseOrAre4xx(byte[] body) {
        try {
            AmgParams p = AmgRequest.parse(body, AmgParams.defaults());
            assertTrue(p.pointsPerSide() >= 1);
        } catch (ApiException refused) {
            assertRefusal(refused);
        }
    }

    private static void assertRefusal(ApiException e) {
        assertTrue(e.status() >= 400 && e.status() < 500, e.status() + " " + e.getMessage());
        assertTrue(e.getMessage() != null && !e.getMessage().contains("\n"), e.getMessage());
    }
}
