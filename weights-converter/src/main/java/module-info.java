/** PyTorch .pth checkpoints to safetensors, with a restricted unpickler that never runs code from the file. */
module dev.jsam.convert {
    requires transitive dev.jsam.tensor;

    exports dev.jsam.convert;

    provides dev.jsam.tensor.io.CheckpointConverter with dev.jsam.convert.PthCheckpointConverter;
}
