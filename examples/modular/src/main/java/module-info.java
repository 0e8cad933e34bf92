/** The README's library example as a JPMS module: it runs with no JVM flag (jsam requires the Vector API itself). */
module dev.jsam.examples.modular {
    requires dev.jsam.sam;
}
