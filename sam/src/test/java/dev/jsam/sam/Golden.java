package dev.jsam.sam;

import dev.jsam.tensor.Backend;
import dev.jsam.tensor.Backends;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.Json;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Access to the reference's outputs under testdata/golden and the comparisons with the
 * tolerances of testdata/golden/README.md (a correct float32 implementation meets them,
 * whatever its summation order). Failures name the tensor, both errors and the worst elements.
 */
public final class Golden {
    /** Features, encoder trace, logits, embeddings: relative L2 error bound. */
    public static final double REL_L2 = 1e-5;
    /** Features, encoder trace, logits, embeddings: max absolute error bound. */
    public static final double MAX_ABS = 1e-4;
    /** IoU predictions: max absolute error bound. */
    public static final double IOU_MAX_ABS = 1e-5;
    /** Binary masks at original resolution: at most this fraction of each mask's pixels may differ. */
    public static final double MASK_PIXEL_FRACTION = 1e-4;

    private final SafetensorsFile file;

    private Golden(SafetensorsFile file) {
        this.file = file;
    }

    /**
     * The backend the golden tests run on: the fast CPU backend, or the one the system property
     * jsam.test.device names with the command line's --device syntax (cuda, cuda:0:cublas ...),
     * which is how kernels/dev/gpu-check.sh runs these tests on a GPU. Never falls back: a named
     * device that cannot be opened fails the test.
     */
    public static Backend backend() {
        return Backends.open(System.getProperty("jsam.test.device", Backends.CPU));
    }

    /**
     * The devices the tiny-model golden tests run on: {@link #backend()}'s, and the scalar reference
     * backend (cpu-reference), the oracle the fast kernels are tested against, so that a bug in
     * either shows against PyTorch directly.
     */
    public static List<String> devices() {
        String device = System.getProperty("jsam.test.device", Backends.CPU);
        return device.equals(Backends.CPU_REFERENCE) ? List.of(device) : List.of(device, Backends.CPU_REFERENCE);
    }

    public static Path testdata(String relative) {
        String root = System.getProperty("jsam.testdata");
        if (root == null) {
            throw new IllegalStateException("system property jsam.testdata is not set (the parent pom sets it)");
        }
        return Path.of(root).resolve(relative);
    }

    public static Golden open(String relative) {
        try {
            return new Golden(SafetensorsFile.open(testdata(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> json(String relative) {
        try {
            return (Map<String, Object>) Json.parse(Files.readString(testdata(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean has(String name) {
        return file.contains(name);
    }

    /** The names of the file's tensors that start with prefix, sorted. */
    public SortedSet<String> names(String prefix) {
        SortedSet<String> out = new TreeSet<>();
        for (String n : file.names()) {
            if (n.startsWith(prefix)) {
                out.add(n);
            }
        }
        return out;
    }

    /** The golden tensor on the backend (any dtype, as stored). */
    public Tensor tensor(String name, Backend backend) {
        try {
            SafetensorsFile.Entry e = file.get(name);
            return backend.copyFromHost(e.dtype(), e.data(), e.shape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int[] shape(String name) {
        try {
            return file.get(name).shape();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compares with the float tolerances (relative L2 and max abs). */
    public void assertClose(String name, Tensor actual) {
        assertClose(name, actual, REL_L2, MAX_ABS);
    }

    /** Compares IoU predictions (max abs only). */
    public void assertIouClose(String name, Tensor actual) {
        assertClose(name, actual, Double.POSITIVE_INFINITY, IOU_MAX_ABS);
    }

    private void assertClose(String name, Tensor actual, double relBound, double absBound) {
        float[] ref = tensor(name, actual.backend()).toFloatArray();
        float[] got = actual.toFloatArray();
        if (ref.length != got.length) {
            fail(name + ": " + got.length + " elements " + Arrays.toString(actual.shape()) + " vs reference "
                    + ref.length + " " + Arrays.toString(shape(name)));
        }
        double num = 0, den = 0, maxAbs = 0;
        int worst = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = (double) got[i] - ref[i];
            num += d * d;
            den += (double) ref[i] * ref[i];
            if (!(Math.abs(d) <= maxAbs)) {
                maxAbs = Math.abs(d);
                worst = i;
            }
        }
        double rel = den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
        String report = String.format("%s: relL2=%.3e (bound %.0e) maxAbs=%.3e (bound %.0e) worst at flat index %d: got %s ref %s",
                name, rel, relBound, maxAbs, absBound, worst, got[worst], ref[worst]);
        System.out.println(report);
        assertTrue(rel <= relBound && maxAbs <= absBound, report);
    }

    /**
     * Compares binary masks (..., H, W) with the reference's bit-packed masks (..., H, ceil(W/8)),
     * each H x W mask on its own: at most {@link #MASK_PIXEL_FRACTION} of its pixels may differ, so
     * one wrong mask cannot hide behind good ones. Returns the number of differing pixels in all.
     */
    public long assertMasksMatch(String name, boolean[] got, int width) {
        byte[] packed = tensor(name, CpuBackend.reference()).toByteArray();
        int[] shape = shape(name);
        int height = shape[shape.length - 2];
        int rowBytes = (width + 7) / 8;
        long plane = (long) height * width;
        if (shape[shape.length - 1] != rowBytes || packed.length / rowBytes * width != got.length) {
            fail(name + ": " + got.length + " mask pixels of width " + width + " vs reference " + Arrays.toString(shape));
        }
        long bound = (long) (MASK_PIXEL_FRACTION * plane);
        long total = 0;
        StringBuilder over = new StringBuilder();
        for (int m = 0; m < got.length / plane; m++) {
            long diff = 0;
            for (long r = (long) m * height; r < (long) (m + 1) * height; r++) {
                for (int x = 0; x < width; x++) {
                    boolean ref = (packed[(int) (r * rowBytes + x / 8)] >> (7 - x % 8) & 1) != 0;
                    if (ref != got[(int) (r * width + x)]) {
                        diff++;
                    }
                }
            }
            total += diff;
            if (diff > bound) {
                over.append(" mask ").append(m).append(": ").append(diff).append(" pixels;");
            }
        }
        System.out.println(name + ": " + total + " of " + got.length + " mask pixels differ");
        assertTrue(over.isEmpty(), name + ": more than " + bound + " of a mask's " + plane + " pixels ("
                + MASK_PIXEL_FRACTION * 100 + " %) differ in" + over);
        return total;
    }
}
