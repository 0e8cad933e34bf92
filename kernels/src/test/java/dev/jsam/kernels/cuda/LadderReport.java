package dev.jsam.kernels.cuda;

import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUevent;
import jcuda.driver.JCudaDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Timing and reporting for the kernel ladders: times a queued operation with CUDA events on
 * the backend's stream, derives the card's FP32 and TF32 peaks from its SM count and clock,
 * and appends one CSV row per measurement to $JSAM_LADDER_OUT/ladder.csv (default target/).
 */
final class LadderReport {
    /**
     * Dense FP32 and TF32 FLOP per SM per clock by compute capability: A100 (8.0) 128 and 1024;
     * GA10x / AD10x (8.6, 8.7, 8.9) 256 and 512; Hopper (9.0) 256 and 2048. Other cards get
     * Hopper's figures, and the report says they are assumed.
     */
    static double[] flopPerSmClock(int major, int minor) {
        int cc = major * 10 + minor;
        return switch (cc) {
            case 80 -> new double[] {128, 1024};
            case 86, 87, 89 -> new double[] {256, 512};
            default -> new double[] {256, 2048};
        };
    }

    /** H100/H200 SXM boost clock, used only if the driver reports no clock rate. */
    private static final double ASSUMED_CLOCK_HZ = 1.98e9;

    private final CudaBackend be;
    private final CudaContext context;
    private final Path csv;
    final double fp32Peak;
    final double tf32Peak;

    LadderReport(CudaBackend be) {
        this.be = be;
        this.context = (CudaContext) be.device();
        String dir = System.getenv().getOrDefault("JSAM_LADDER_OUT", "target");
        this.csv = Path.of(dir, "ladder.csv");
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, context.ordinal());
        int[] sms = new int[1], khz = new int[1];
        JCudaDriver.cuDeviceGetAttribute(sms, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev);
        JCudaDriver.cuDeviceGetAttribute(khz, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_CLOCK_RATE, dev);
        double clock = khz[0] > 0 ? khz[0] * 1e3 : ASSUMED_CLOCK_HZ;
        int[] major = new int[1], minor = new int[1];
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
        double[] perClock = flopPerSmClock(major[0], minor[0]);
        fp32Peak = sms[0] * clock * perClock[0];
        tf32Peak = sms[0] * clock * perClock[1];
        boolean known = List.of(80, 86, 87, 89, 90).contains(major[0] * 10 + minor[0]);
        try {
            Files.createDirectories(csv.getParent());
            if (!Files.exists(csv)) {
                Files.writeString(csv, "device,family,rung,shape,ms,gflops,pct_of_peak,peak\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.printf("[ladder] %s, compute capability %d.%d: %d SMs at %.0f MHz, FP32 peak %.1f TFLOP/s, TF32 peak %.1f"
                + " TFLOP/s%s%n", be.describe(), major[0], minor[0], sms[0], clock / 1e6, fp32Peak / 1e12, tf32Peak / 1e12,
                known ? "" : " (Hopper's per-SM figures, assumed for this card)");
    }

    /** Mean milliseconds of one run: 2 warm-ups, then repeats until 200 ms or 50 runs. */
    double time(Runnable run) {
        run.run();
        run.run();
        be.synchronize();
        CUevent start = new CUevent(), stop = new CUevent();
        JCudaDriver.cuEventCreate(start, 0);
        JCudaDriver.cuEventCreate(stop, 0);
        int reps = 0;
        float[] ms = new float[1];
        JCudaDriver.cuEventRecord(start, context.stream());
        do {
            run.run();
            reps++;
            JCudaDriver.cuEventRecord(stop, context.stream());
            JCudaDriver.cuEventSynchronize(stop);
            JCudaDriver.cuEventElapsedTime(ms, start, stop);
        } while (ms[0] < 200 && reps < 50);
        JCudaDriver.cuEventDestroy(start);
        JCudaDriver.cuEventDestroy(stop);
        return ms[0] / reps;
    }

    /** One timed rung: peakName says which peak (fp32, tf32, tf32/3, bf16) the percentage is of. */
    void record(String family, String rung, String shape, double ms, double flops, double peak, String peakName) {
        double gflops = flops / (ms * 1e-3) / 1e9;
        double pct = 100 * gflops * 1e9 / peak;
        String line = String.format("%s,%s,%s,%s,%.4f,%.1f,%.1f,%s%n", be.describe().replace(',', ';'), family, rung,
                shape, ms, gflops, pct, peakName);
        System.out.print("[ladder] " + line);
        try {
            Files.writeString(csv, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
