package dev.jsam.kernels.cuda;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GPU time per kernel while recording: a pair of CUDA events on the stream around each launch,
 * read back once at {@link #report()}. Costs two event records per launch and no
 * synchronisation until the report, so the launches keep their order and overlap as they would.
 * Work that is not one of our launches (cuBLAS calls, copies) shows only as the gaps between the
 * total of the kernels and the wall-clock time of the region.
 */
final class KernelProfile {
    private record Launch(String kernel, CUevent start, CUevent end) {
    }

    private final CUstream stream;
    private final List<Launch> launches = new ArrayList<>();

    KernelProfile(CUstream stream) {
        this.stream = stream;
    }

    /** Runs launch (which queues the kernel) between two events. */
    void around(String kernel, Runnable launch) {
        CUevent start = new CUevent();
        CUevent end = new CUevent();
        JCudaDriver.cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT);
        JCudaDriver.cuEventCreate(end, CUevent_flags.CU_EVENT_DEFAULT);
        JCudaDriver.cuEventRecord(start, stream);
        launch.run();
        JCudaDriver.cuEventRecord(end, stream);
        launches.add(new Launch(kernel, start, end));
    }

    /** Waits for the recorded launches and returns one line per kernel, largest total first; frees the events. */
    String report() {
        Map<String, double[]> perKernel = new LinkedHashMap<>();
        double total = 0;
        float[] ms = new float[1];
        for (Launch l : launches) {
            JCudaDriver.cuEventSynchronize(l.end);
            JCudaDriver.cuEventElapsedTime(ms, l.start, l.end);
            double[] acc = perKernel.computeIfAbsent(l.kernel, k -> new double[2]);
            acc[0]++;
            acc[1] += ms[0];
            total += ms[0];
            JCudaDriver.cuEventDestroy(l.start);
            JCudaDriver.cuEventDestroy(l.end);
        }
        launches.clear();
        StringBuilder sb = new StringBuilder(String.format("%-22s %8s %10s %6s%n", "kernel", "launches", "ms", "%"));
        double sum = total;
        perKernel.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[1], a.getValue()[1])).forEach(e -> sb.append(
                String.format("%-22s %8d %10.3f %6.1f%n", e.getKey(), (long) e.getValue()[0], e.getValue()[1],
                        100 * e.getValue()[1] / sum)));
        sb.append(String.format("%-22s %8d %10.3f%n", "total", perKernel.values().stream().mapToLong(v -> (long) v[0]).sum(), total));
        return sb.toString();
    }
}
