package dev.jsam.tensor;

/**
 * The service interface through which {@link Backends} finds backends that live in other modules
 * (the CUDA backend in jsam-kernels): registered with ServiceLoader (META-INF/services on the class
 * path, {@code provides} in a module-info). Implementations must be cheap to instantiate and touch
 * no native library until {@link #open} is called.
 * Implementations must be thread-safe: {@link java.util.ServiceLoader} may hand one instance to
 * several threads.
 */
public interface BackendProvider {

    /** The device kind this provider opens: the part of a device string before the first ':' ("cuda"). */
    String kind();

    /**
     * Opens the backend the whole device string names ("cuda", "cuda:1:cublas"...).
     *
     * @param device  the device string, whose kind is {@link #kind()}
     * @param threads host threads the backend may use, at least 1
     * @return a new backend, owned and closed by the caller
     * @throws IllegalArgumentException    if the string is malformed
     * @throws BackendUnavailableException if the device cannot be used here, naming why
     */
    Backend open(String device, int threads);
}
