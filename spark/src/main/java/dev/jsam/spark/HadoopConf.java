package dev.jsam.spark;

import org.apache.hadoop.conf.Configuration;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * The driver's Hadoop configuration (spark.hadoop.* included: credentials for hdfs:, s3a: ...)
 * carried to the executors, where tasks read images and checkpoints through Hadoop's file
 * systems. Serialised with Hadoop's own Writable form; broadcast once per job.
 */
final class HadoopConf implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private transient Configuration conf;

    HadoopConf(Configuration conf) {
        this.conf = new Configuration(conf);
    }

    Configuration get() {
        return conf;
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
