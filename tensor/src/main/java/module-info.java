/**
 * jsam's tensors: {@link dev.jsam.tensor.Tensor}, the {@link dev.jsam.tensor.Backend} SPI and
 * {@link dev.jsam.tensor.Backends} (device strings), the CPU backends and safetensors I/O. Needs
 * the JDK alone; the Vector API module is required here, so a modular application needs no flag.
 */
module dev.jsam.tensor {
    requires transitive jdk.incubator.vector;

    exports dev.jsam.tensor;
    exports dev.jsam.tensor.cpu;
    exports dev.jsam.tensor.io;

    uses dev.jsam.tensor.BackendProvider;
}
