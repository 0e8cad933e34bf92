/**
 * The CUDA backend, found by {@link dev.jsam.tensor.Backends} under the device kind "cuda". Needs
 * JCuda and, at run time, an NVIDIA driver; on the module path also
 * {@code --enable-native-access=dev.jsam.kernels} for cuBLAS.
 */
module dev.jsam.kernels {
    requires transitive dev.jsam.tensor;
    requires jcuda;

    exports dev.jsam.kernels;
    exports dev.jsam.kernels.cuda;

    provides dev.jsam.tensor.BackendProvider with dev.jsam.kernels.cuda.CudaBackendProvider;
}
