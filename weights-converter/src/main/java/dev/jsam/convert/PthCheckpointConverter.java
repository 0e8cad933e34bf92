package dev.jsam.convert;

import dev.jsam.tensor.io.CheckpointConverter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The converter as a {@link CheckpointConverter} service, so that {@code Sam.load} takes a .pth
 * file as it is when this module is on the class or module path: recognises both torch.save
 * formats by their structure and converts with dtypes kept, silently. Stateless, thread-safe.
 */
public final class PthCheckpointConverter implements CheckpointConverter {

    @Override
    public String format() {
        return "PyTorch .pth";
    }

    @Override
    public boolean recognises(Path file) throws IOException {
        return Checkpoint.recognises(file);
    }

    @Override
    public void convert(Path in, Path out) throws IOException {
        Converter.convert(in, out, Converter.Target.KEEP, new PrintStream(OutputStream.nullOutputStream()));
    }
}
