package dev.jsam.cli;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.BackendUnavailableException;
import dev.jsam.tensor.Backends;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens what the command line names: the backend (--device cpu | cpu-reference | cuda[:N],
 * --threads) and a checkpoint in safetensors form, recognising a PyTorch .pth file and saying
 * how to convert it. Asking for CUDA without a usable GPU is an error, never a CPU fallback.
 */
public final class ModelLoader {
    private ModelLoader() {
    }

    /**
     * The backend --device and --threads name (CPU on all cores, at most {@link CommandSpec#MAX_THREADS},
     * by default); a usage error when it cannot be opened.
     */
    public static Backend backend(Args args) {
        String device = args.get("--device") == null ? Backends.CPU : args.get("--device");
        int threads = args.getInt("--threads", Math.min(CommandSpec.MAX_THREADS, Runtime.getRuntime().availableProcessors()));
        if (threads < 1 || threads > CommandSpec.MAX_THREADS) {
            throw new UsageException("--threads must be 1.." + CommandSpec.MAX_THREADS + ", got " + threads);
        }
        try {
            return Backends.open(device, threads);
        } catch (BackendUnavailableException | IllegalArgumentException e) {
            throw new UsageException("--device " + device + ": " + ErrorLine.of(e));
        }
    }

    static Sam load(Path checkpoint, Backend backend) throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            throw new UsageException("checkpoint " + checkpoint + " not found");
        }
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(checkpoint)) {
            int n = in.readNBytes(head, 0, 2);
            boolean zip = n == 2 && head[0] == 'P' && head[1] == 'K';
            boolean pickle = n >= 1 && (head[0] & 0xFF) == 0x80;
            if (zip || pickle) {
                throw new UsageException(checkpoint + " is a PyTorch checkpoint; convert it once with: sam convert "
                        + checkpoint + " " + checkpoint.toString().replaceAll("\\.pth?$", "") + ".safetensors");
            }
        }
        return Sam.fromSource(SafetensorsSource.open(checkpoint, backend), backend);
    }
}
