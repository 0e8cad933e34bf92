package dev.jsam.spark;

import dev.jsam.sam.Golden;
import org.apache.spark.sql.SparkSession;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The tests' Spark session, one per test JVM: local[2,2], two task threads and a task allowed to
 * fail once (retried), the UI off. Never stopped; the fork's exit ends it.
 */
final class TestSpark {
    private static SparkSession session;

    private TestSpark() {
    }

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2,2]").appName("jsam-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
        }
        return session;
    }

    /**
     * A folder of two small images (dog.png, 534 x 800, and truck.jpg, 300 x 200) and two files
     * that are not images: notes.txt (text) and cut.png (a PNG cut after 300 bytes).
     */
    static Path images(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.copy(Golden.testdata("images/dog.png"), dir.resolve("dog.png"));
        BufferedImage truck = ImageIO.read(Golden.testdata("images/truck.jpg").toFile());
        BufferedImage small = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        small.createGraphics().drawImage(truck, 0, 0, 300, 200, null);
        ImageIO.write(small, "jpg", dir.resolve("truck.jpg").toFile());
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        byte[] png = Files.readAllBytes(Golden.testdata("images/dog.png"));
        Files.write(dir.resolve("cut.png"), Arrays.copyOf(png, 300));
        return dir;
    }

    static String checkpoint() {
        return Golden.testdata("golden/tiny/sam_tiny.safetensors").toString();
    }
}
