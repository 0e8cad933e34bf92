/** jsam's layers (Linear, Conv2d, LayerNorm ...) and the checked weights loader. */
module dev.jsam.nn {
    requires transitive dev.jsam.tensor;

    exports dev.jsam.nn;
}
