package dev.jsam.sam.modeling;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.nn.Weights;
import dev.jsam.tensor.Backend;
import dev.jsam.tensor.io.CheckpointConverter;
import dev.jsam.tensor.io.SafetensorsFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Sam#load} and {@link Sam#mapCheckpoint}: tells a checkpoint's format by parsing
 * (safetensors, or whatever a {@link CheckpointConverter} service recognises), converts into a
 * temporary file where needed, maps the safetensors file (into an arena the model owns, or the
 * caller's), and on any failure releases all it took (the temporary file included) before
 * rethrowing. Stateless.
 */
final class CheckpointLoader {
    private static final String SAFETENSORS = ".safetensors";

    private CheckpointLoader() {
    }

    /**
     * Loads {@code checkpoint} onto {@code backend}, which the model closes when it owns it.
     * Converted files go to {@code tempDir} (null: java.io.tmpdir).
     */
    static Sam load(Path checkpoint, Backend backend, boolean ownsBackend, Iterable<CheckpointConverter> converters,
                    Path tempDir) throws IOException {
        OwnedResources owned = new OwnedResources();
        if (ownsBackend) {
            owned.add(backend::close);
        }
        try {
            requireFile(checkpoint);
            Path file = safetensorsOf(checkpoint, converters, tempDir, owned);
            Arena arena = Arena.ofShared();
            owned.add(arena::close);
            Weights.Source source = new SafetensorsSource(SafetensorsFile.open(file, arena), backend);
            if (!file.equals(checkpoint)) {
                source = source.view(checkpoint + " (converted)", (key, t) -> t);
                deleteWhileMapped(file);
            }
            return new Sam(Weights.of(source, backend), Sam.configOf(source), owned);
        } catch (IOException | RuntimeException | Error e) {
            owned.closeAfter(e);
            throw e;
        }
    }

    /**
     * {@link Sam#mapCheckpoint}: the checkpoint's safetensors form mapped into the caller's arena;
     * a temporary conversion (in tempDir, null: java.io.tmpdir) is deleted once mapped (where the
     * system cannot delete a mapped file, when the JVM exits), or at once if mapping fails.
     */
    static SafetensorsFile map(Path checkpoint, Iterable<CheckpointConverter> converters, Path tempDir, Arena arena)
            throws IOException {
        OwnedResources conversion = new OwnedResources();
        try {
            requireFile(checkpoint);
            Path file = safetensorsOf(checkpoint, converters, tempDir, conversion);
            SafetensorsFile mapped = SafetensorsFile.open(file, arena);
            if (!file.equals(checkpoint) && !deleteWhileMapped(file)) {
                file.toFile().deleteOnExit();
            }
            return mapped;
        } catch (IOException | RuntimeException | Error e) {
            conversion.closeAfter(e);
            throw e;
        }
    }

    private static void requireFile(Path checkpoint) throws NoSuchFileException {
        if (!Files.isRegularFile(checkpoint)) {
            throw new NoSuchFileException(checkpoint.toString(), null, "checkpoint not found");
        }
    }

    /** The checkpoint itself when it is safetensors, else a temporary conversion that {@code owned} deletes. */
    private static Path safetensorsOf(Path checkpoint, Iterable<CheckpointConverter> converters, Path tempDir,
                                      OwnedResources owned) throws IOException {
        if (SafetensorsFile.isSafetensors(checkpoint)) {
            return checkpoint;
        }
        List<String> formats = new ArrayList<>();
        for (CheckpointConverter c : converters) {
            if (c.recognises(checkpoint)) {
                Path tmp = tempDir == null ? Files.createTempFile("jsam-", SAFETENSORS)
                        : Files.createTempFile(tempDir, "jsam-", SAFETENSORS);
                owned.add(() -> Files.deleteIfExists(tmp));
                c.convert(checkpoint, tmp);
                return tmp;
            }
            formats.add(c.format());
        }
        if (checkpoint.getFileName().toString().endsWith(SAFETENSORS)) {
            return checkpoint; // SafetensorsFile.open says what is wrong with its header
        }
        if (formats.isEmpty()) {
            throw new CheckpointFormatException(checkpoint + " is not a safetensors file; if it is a PyTorch checkpoint,"
                    + " convert it once with: sam convert " + checkpoint + " " + convertedName(checkpoint)
                    + " (or put dev.jsam:jsam-weights-converter on the class or module path to load it as it is)");
        }
        throw new CheckpointFormatException(checkpoint + " is neither a safetensors file nor a "
                + String.join(" nor a ", formats) + " checkpoint");
    }

    /** The checkpoint's name with its extension replaced by .safetensors: x.pth -> x.safetensors. */
    static Path convertedName(Path checkpoint) {
        String name = checkpoint.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return checkpoint.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + SAFETENSORS);
    }

    /**
     * Removes the converted file at once where the system allows deleting a mapped file (POSIX:
     * the mapping keeps the data), so nothing is left even if the process dies; elsewhere returns
     * false, and the model's close deletes it after unmapping.
     */
    private static boolean deleteWhileMapped(Path file) {
        try {
            Files.deleteIfExists(file);
            return true;
        } catch (IOException stillMapped) {
            return false;
        }
    }
}
