package dev.jsam.cli;

import dev.jsam.sam.Golden;
import dev.jsam.sam.image.ExifOrientation;
import dev.jsam.sam.image.ImageHeader;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.cpu.CpuBackend;
import dev.jsam.tensor.io.Json;
import dev.jsam.tensor.io.SafetensorsFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `sam predict` keeps to the memory model: on a 4000 x 4000 black PNG (16 KB on disk) with 24 box
 * prompts, a child JVM whose heap is the model's estimate plus a fifth (ParallelGC counts one
 * survivor space, about a ninth of the heap, out of the usable heap) finishes, and its resident
 * memory stays under that heap plus the JVM's own (code, classes, collector tables, threads: about
 * 100 MB) and the mapped weights (measured: heap 261 MB, VmHWM 362 MB). Before the results were
 * streamed, the same run held 24 x 16 M float logits at once (1.5 GB) and ran out of memory at this
 * heap (exit 1 at -Xmx261m).
 */
@Tag("slow")
class PredictMemoryTest {
    /** What the JVM holds besides the Java heap, with room to spare (measured: 90-110 MB). */
    static final long JVM_OWN_BYTES = 160L << 20;

    @TempDir
    Path tmp;

    @Test
    void largeImageManyPromptsRunsInTheEstimatedHeap() throws Exception {
        Path image = MemoryBudgetTest.blackPng(tmp, 4000, 4000);
        int prompts = 24;
        long estimate;
        try (CpuBackend be = CpuBackend.create(1);
             Sam sam = Sam.load(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be)) {
            ImageHeader header = Images.header(image, ExifOrientation.APPLY);
            estimate = MemoryBudget.predict(sam.config(), header, prompts, 1, true);
        }
        long heapMb = (estimate + estimate / 5 >> 20) + 1;
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", "-Xmx" + heapMb + "m",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "predict",
                "--checkpoint", SamCliTest.checkpoint(), "--image", image.toString(), "--single", "--threads", "2",
                "--out", tmp.resolve("out").toString()));
        for (int i = 0; i < prompts; i++) {
            cmd.addAll(List.of("--box", (100 * i) + ",50," + (100 * i + 1500) + ",3000"));
        }
        ChildRun run = ChildRun.start(cmd, tmp.resolve("child.log"));
        assertEquals(0, run.exitCode(TimeUnit.MINUTES.toSeconds(5)), run.log());
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(tmp.resolve("out/result.json")));
        assertEquals(prompts, ((List<?>) json.get("masks")).size());
        assertArrayEquals(new int[] {prompts, 1, 4000, 4000},
                SafetensorsFile.open(tmp.resolve("out/result.safetensors")).get("masks").shape());
        long weights = Files.size(Path.of(SamCliTest.checkpoint()));
        long bound = (heapMb << 20) + JVM_OWN_BYTES + weights;
        System.out.printf("predict 4000 x 4000, %d prompts: heap %d MB, VmHWM %d MB, bound %d MB%n", prompts, heapMb,
                run.peakRssBytes() >> 20, bound >> 20);
        assertTrue(run.peakRssBytes() < bound, "VmHWM " + (run.peakRssBytes() >> 20) + " MB, bound "
                + (bound >> 20) + " MB (heap " + heapMb + " MB)");
    }
}
