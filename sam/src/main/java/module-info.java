/**
 * Segment Anything: the model ({@code modeling}), the predictor and segment-everything
 * ({@code dev.jsam.sam}, {@code amg}), image input and output ({@code image}) and the reference's
 * resize ({@code utils}).
 */
module dev.jsam.sam {
    requires transitive dev.jsam.nn;
    requires transitive java.desktop;

    exports dev.jsam.sam;
    exports dev.jsam.sam.amg;
    exports dev.jsam.sam.image;
    exports dev.jsam.sam.modeling;
    exports dev.jsam.sam.utils;

    uses dev.jsam.tensor.io.CheckpointConverter;
}
