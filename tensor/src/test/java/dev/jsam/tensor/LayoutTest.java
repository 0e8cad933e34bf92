package dev.jsam.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** View arithmetic: every view must address the same elements torch would. */
class LayoutTest {
    @Test
    void contiguousStridesAreRowMajor() {
        Layout l = Layout.contiguous(2, 3, 4);
        assertArrayEquals(new long[] {12, 4, 1}, l.strides());
        assertEquals(24, l.numel());
        assertTrue(l.isContiguous());
    }

    @Test
    void permuteMovesStrides() {
        Layout l = Layout.contiguous(2, 3, 4).permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, l.shape());
        assertArrayEquals(new long[] {1, 12, 4}, l.strides());
        assertEquals(1 * 3 + 12 * 1 + 4 * 2, l.offsetOf(3, 1, 2));
    }

    @Test
    void narrowShiftsOffset() {
        Layout l = Layout.contiguous(5, 6).narrow(1, 2, 3);
        assertEquals(2, l.offset());
        assertEquals(2 + 6 * 4 + 1, l.offsetOf(4, 1));
    }

    @Test
    void expandUsesZeroStrides() {
        Layout l = Layout.contiguous(3, 1).expand(2, 3, 5);
        assertArrayEquals(new int[] {2, 3, 5}, l.shape());
        assertArrayEquals(new long[] {0, 1, 0}, l.strides());
        assertThrows(IllegalArgumentException.class, () -> Layout.contiguous(3, 2).expand(3, 5));
    }

    @Test
    void viewSplitsAndMergesContiguousDims() {
        Layout l = Layout.contiguous(2, 3, 4);
        Layout v = l.viewAs(new int[] {6, -1});
        assertArrayEquals(new int[] {6, 4}, v.shape());
        assertArrayEquals(new long[] {4, 1}, v.strides());
        Layout t = l.permute(0, 2, 1); // (2, 4, 3) strides (12, 1, 4)
        assertNull(t.viewAs(new int[] {8, 3}), "merging a transposed pair needs a copy");
        Layout split = t.viewAs(new int[] {2, 2, 2, 3});
        assertArrayEquals(new long[] {12, 2, 1, 4}, split.strides());
        Layout withOnes = l.viewAs(new int[] {1, 2, 1, 12});
        assertArrayEquals(new int[] {1, 2, 1, 12}, withOnes.shape());
        assertEquals(12, withOnes.stride(1));
    }

    @Test
    void unsqueezeAndSqueezeRoundTrip() {
        Layout l = Layout.contiguous(3, 4).unsqueeze(1);
        assertArrayEquals(new int[] {3, 1, 4}, l.shape());
        assertTrue(l.isContiguous());
        assertEquals(Layout.contiguous(3, 4), l.squeeze(1));
        assertThrows(IllegalArgumentException.class, () -> Layout.contiguous(3, 4).squeeze(0));
    }

    @Test
    void broadcastShapesFollowNumpy() {
        assertArrayEquals(new int[] {2, 3, 4}, Layout.broadcastShapes(new int[] {3, 1}, new int[] {2, 1, 4}));
        assertThrows(IllegalArgumentException.class, () -> Layout.broadcastShapes(new int[] {3}, new int[] {4}));
    }
}
