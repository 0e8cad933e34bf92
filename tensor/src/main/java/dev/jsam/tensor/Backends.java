package dev.jsam.tensor;

import dev.jsam.tensor.cpu.CpuBackend;

import java.util.ServiceLoader;

/**
 * Opens a backend from one device string, the syntax the command line's --device, the server and
 * the tests share: {@code cpu} (the Vector API kernels), {@code cpu-reference} (the scalar
 * oracle, one thread) or a kind another module provides through {@link BackendProvider}, such as
 * {@code cuda[:N][:tf32|:cublas]} from jsam-kernels. Never falls back: a device that cannot be
 * opened is an exception naming why. Thread-safe (stateless).
 */
public final class Backends {
    /** The device strings this module opens itself. */
    public static final String CPU = "cpu", CPU_REFERENCE = "cpu-reference";

    private Backends() {
    }

    /** The backend a device string names, with all available processors for the CPU. */
    public static Backend open(String device) {
        return open(device, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The backend a device string names.
     *
     * @param device  cpu, cpu-reference, or a provided kind with its options (cuda:0)
     * @param threads host threads for the CPU backend, at least 1
     * @return a new backend, owned and closed by the caller
     * @throws IllegalArgumentException    if the string or the thread count is malformed
     * @throws BackendUnavailableException if the device's module is missing or the device cannot be used
     */
    public static Backend open(String device, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        String d = device.trim();
        if (d.equals(CPU)) {
            return CpuBackend.create(threads);
        }
        if (d.equals(CPU_REFERENCE)) {
            return CpuBackend.reference();
        }
        int colon = d.indexOf(':');
        String kind = colon < 0 ? d : d.substring(0, colon);
        if (kind.isEmpty() || !kind.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            throw new IllegalArgumentException("bad device \"" + device + "\": expected cpu, cpu-reference, cuda or cuda:N[:tf32|:cublas]");
        }
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.kind().equals(kind)) {
                return p.open(d, threads);
            }
        }
        if (kind.equals("cuda")) {
            throw new BackendUnavailableException("device " + d + " needs the CUDA backend, dev.jsam:jsam-kernels,"
                    + " on the class or module path");
        }
        throw new IllegalArgumentException("unknown device \"" + device + "\": expected cpu, cpu-reference, cuda or cuda:N[:tf32|:cublas]");
    }
}
