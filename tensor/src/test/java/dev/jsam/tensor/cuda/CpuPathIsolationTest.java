package dev.jsam.tensor.cuda;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Guards the rule that nothing outside dev.jsam.tensor.cuda references JCuda or the CUDA
 * backend, so the CPU path never loads them: a source scan of the tensor module's main code.
 */
class CpuPathIsolationTest {
    @Test
    void onlyTheCudaPackageMentionsJcuda() throws IOException {
        Path root = Path.of("src/main/java/dev/jsam/tensor");
        Path cuda = root.resolve("cuda");
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java") && !p.startsWith(cuda))
                    .filter(p -> {
                        try {
                            String s = Files.readString(p);
                            return s.contains("jcuda") || s.contains("dev.jsam.tensor.cuda");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).toList();
            assertEquals(List.of(), offenders);
        }
    }
}
