package dev.jsam.spark;

import dev.jsam.sam.Golden;
import org.apache.spark.sql.SparkSession;

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

    static String checkpoint() {
        return Golden.testdata("golden/tiny/sam_tiny.safetensors").toString();
    }
}
