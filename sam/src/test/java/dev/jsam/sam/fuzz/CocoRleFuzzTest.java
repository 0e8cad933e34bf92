package dev.jsam.sam.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.jsam.sam.amg.CocoRle;
import dev.jsam.sam.amg.Rle;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes COCO RLE decoding (counts strings as pycocotools writes them, read back from annotation
 * files): any string and size decode to a mask whose runs cover exactly height x width pixels
 * and encode back to the same string, or are an IllegalArgumentException, never another
 * exception (an arithmetic overflow, an index out of bounds) or a hang.
 */
class CocoRleFuzzTest {
    @FuzzTest
    void decodesOrRefusesAndRoundTrips(FuzzedDataProvider data) {
        int height = data.consumeInt(0, 4096);
        int width = data.consumeInt(0, 4096);
        String counts = data.consumeRemainingAsAsciiString();
        Rle rle;
        try {
            rle = CocoRle.decode(counts, height, width);
        } catch (IllegalArgumentException declared) {
            return;
        }
        assertEquals(height, rle.height());
        assertEquals(width, rle.width());
        assertEquals(rle, CocoRle.decode(CocoRle.encode(rle), height, width));
    }
}
