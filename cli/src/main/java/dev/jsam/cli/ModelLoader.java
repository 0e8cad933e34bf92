package dev.jsam.cli;

import dev.jsam.convert.CheckpointException;
import dev.jsam.sam.modeling.CheckpointFormatException;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.BackendUnavailableException;
import dev.jsam.tensor.Backends;
import dev.jsam.tensor.io.SafetensorsException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens what the command line names: the backend (--device cpu | cpu-reference | cuda[:N],
 * --threads) and a checkpoint, safetensors or PyTorch .pth, through the library's one loader.
 * Asking for CUDA without a usable GPU is an error, never a CPU fallback.
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

    /**
     * The library's {@link Sam#load(Path, Backend)} (safetensors, or a .pth converted on the fly by
     * the converter this application carries), with a missing, unrecognised or corrupt checkpoint
     * as a usage error: exit 2 and one line.
     */
    public static Sam load(Path checkpoint, Backend backend) throws IOException {
        try {
            return Sam.load(checkpoint, backend);
        } catch (NoSuchFileException e) {
            throw new UsageException("checkpoint " + checkpoint + " not found");
        } catch (CheckpointFormatException | SafetensorsException | CheckpointException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
