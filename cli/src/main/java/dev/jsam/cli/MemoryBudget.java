package dev.jsam.cli;

import dev.jsam.sam.MemoryModel;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.image.ImageHeader;

/**
 * The heap a command may plan to use (--memory-mb, by default the JVM's maximum heap) and what
 * predict and amg need by jsam's memory model ({@link MemoryModel}, README "Memory"), so that work
 * that would not fit is refused before it starts, in one line saying how to raise the budget.
 * P below is the image's pixels; image-sized arrays count 1.5 times ({@link #imageArrays}).
 * Immutable.
 */
public record MemoryBudget(long bytes) {
    public static final CommandSpec.Option OPTION = CommandSpec.Option.valued("--memory-mb", "M",
            "heap the command may use; work that would need more is refused before it starts"
                    + " (default: the JVM's maximum heap, -Xmx)");
    /** Heap the command holds besides its task: ImageIO, the JSON and PNG writers, class data. */
    public static final long RUNTIME_BYTES = 32L << 20;
    /** Prompts `sam predict` decodes in one call: bounds the decoder's memory, whatever the batch. */
    static final int PROMPTS_PER_CALL = 16;

    /**
     * Heap that image-sized arrays held together need: arrays that live through a collection sit in
     * the old generation, which ParallelGC (bin/sam's collector) sizes at 2/3 of the heap, so they
     * need 1.5 times their bytes (measured: decoding a 10000 x 9999 PNG, 400 MB of arrays, runs out
     * of memory in a 500 MB heap).
     */
    public static long imageArrays(long bytes) {
        return bytes * 3 / 2;
    }

    /** The budget --memory-mb gives, refusing one above the JVM's maximum heap (which it cannot raise). */
    public static MemoryBudget of(Args args) {
        long max = Runtime.getRuntime().maxMemory();
        int mb = args.getInt("--memory-mb", (int) Math.min(Integer.MAX_VALUE, max >> 20));
        if (mb < 1) {
            throw new UsageException("--memory-mb must be at least 1, got " + mb);
        }
        if ((long) mb << 20 > max) {
            throw new UsageException("--memory-mb " + mb + " is more than the JVM's maximum heap (" + (max >> 20)
                    + " MB); start Java with a larger -Xmx (JSAM_JAVA_OPTS=-Xmx" + gigabytes(mb) + "g for bin/sam)");
        }
        return new MemoryBudget((long) mb << 20);
    }

    /**
     * `sam predict`: the most of decoding the image, encoding it while holding its pixels (3P, kept
     * for the overlay), and decoding the prompts {@link #PROMPTS_PER_CALL} at a time while holding
     * the pixels and writing one mask at a time.
     */
    public static long predict(SamConfig c, ImageHeader image, int prompts, int masksPerPrompt, boolean encode) {
        long pixels = imageArrays(3 * image.pixels());
        long encoder = encode ? MemoryModel.encoderBytes(c) : 0;
        int perCall = Math.min(prompts, PROMPTS_PER_CALL);
        long decoder = MemoryModel.imageStateBytes(c) + perCall * MemoryModel.decoderBytesPerPrompt(c)
                + 2L * perCall * masksPerPrompt * MemoryModel.lowResBytes(c) + MemoryModel.upsampleBytes(c)
                + (long) prompts * masksPerPrompt * 1024; // result.json's entry per mask
        return RUNTIME_BYTES + Math.max(imageArrays(image.decodeBytes()), pixels + Math.max(encoder, decoder));
    }

    /**
     * `sam amg` on one image: the more of decoding it and {@link #amgOnImage generating its masks}.
     */
    public static long amg(SamConfig c, ImageHeader image, AmgParams p) {
        return RUNTIME_BYTES + Math.max(imageArrays(image.decodeBytes()), amgOnImage(c, image.width(), image.height(), p));
    }

    /**
     * Segment-everything on a decoded width x height image, its pixels included (3P): each crop cut
     * from them (3P more at most) and encoded, then batches of points: the decoder, the batch's
     * low-res logits, and one mask upsampled to the crop as the generator does it (three float
     * copies and a boolean mask: 13 bytes per pixel).
     */
    public static long amgOnImage(SamConfig c, int width, int height, AmgParams p) {
        long pixels = (long) width * height;
        long held = imageArrays(3 * pixels * (p.cropNLayers() > 0 ? 2 : 1));
        int batch = p.pointsPerBatch();
        long decoder = MemoryModel.imageStateBytes(c) + batch * MemoryModel.decoderBytesPerPrompt(c)
                + 3L * batch * MemoryModel.lowResBytes(c) + MemoryModel.upsampleBytes(c) + 13 * pixels;
        return held + Math.max(MemoryModel.encoderBytes(c), decoder);
    }

    /**
     * An upload to `sam serve`: the more of decoding the image and encoding it while holding its
     * pixels, then the predictor's state for it (the body's bytes are counted apart).
     */
    public static long upload(SamConfig c, ImageHeader image) {
        return Math.max(imageArrays(image.decodeBytes()), imageArrays(3 * image.pixels()) + MemoryModel.encoderBytes(c))
                + MemoryModel.imageStateBytes(c);
    }

    /**
     * A prompt to `sam serve`, whatever the image's size: the decoder for one prompt, three masks'
     * low-res logits (and their copies on the host), one mask upsampled at a time into the answer's
     * run-length encoding, which is written out as it is made.
     */
    public static long servePrompt(SamConfig c) {
        return MemoryModel.decoderBytesPerPrompt(c) + 6 * MemoryModel.lowResBytes(c) + MemoryModel.upsampleBytes(c)
                + MemoryModel.imageStateBytes(c);
    }

    /** Refuses (a usage error, exit 2) a task needing more than the budget; what names it in the message. */
    public void require(long need, String what) {
        if (need > bytes) {
            throw new UsageException(what + " needs about " + megabytes(need) + " MB of memory, over the budget of "
                    + megabytes(bytes) + " MB; raise it with --memory-mb " + megabytes(need)
                    + (need > Runtime.getRuntime().maxMemory() ? " and a larger Java heap (JSAM_JAVA_OPTS=-Xmx"
                    + gigabytes(megabytes(need)) + "g for bin/sam)" : ""));
        }
    }

    static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    private static long gigabytes(long mb) {
        return (mb + 1023) / 1024 + 1;
    }
}
