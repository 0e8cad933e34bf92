package dev.jsam.cli;

import dev.jsam.sam.MemoryModel;
import dev.jsam.sam.SamConfig;
import dev.jsam.sam.amg.AmgParams;
import dev.jsam.sam.image.ImageHeader;

/**
 * The heap a command may plan to use (--memory-mb, by default the JVM's maximum heap) and what
 * predict and amg need by jsam's memory model ({@link MemoryModel}, README "Memory"), so that work
 * that would not fit is refused before it starts, in one line saying how to raise the budget.
 * P below is the image's pixels; image-sized arrays count 1.5 times ({@link MemoryModel#imageArrays}).
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
        long pixels = MemoryModel.imageArrays(3 * image.pixels());
        long encoder = encode ? MemoryModel.encoderBytes(c) : 0;
        int perCall = Math.min(prompts, PROMPTS_PER_CALL);
        long decoder = MemoryModel.imageStateBytes(c) + perCall * MemoryModel.decoderBytesPerPrompt(c)
                + 2L * perCall * masksPerPrompt * MemoryModel.lowResBytes(c) + MemoryModel.upsampleBytes(c)
                + (long) prompts * masksPerPrompt * 1024; // result.json's entry per mask
        return RUNTIME_BYTES
                + Math.max(MemoryModel.imageArrays(image.decodeBytes()), pixels + Math.max(encoder, decoder));
    }

    /** `sam amg` on one image: the runtime and {@link MemoryModel#amgBytes(SamConfig, ImageHeader, AmgParams)}. */
    public static long amg(SamConfig c, ImageHeader image, AmgParams p) {
        return RUNTIME_BYTES + MemoryModel.amgBytes(c, image, p);
    }

    /**
     * An upload to `sam serve`: the more of decoding the image and encoding it while holding its
     * pixels, then the predictor's state for it (the body's bytes are counted apart).
     */
    public static long upload(SamConfig c, ImageHeader image) {
        return Math.max(MemoryModel.imageArrays(image.decodeBytes()),
                MemoryModel.imageArrays(3 * image.pixels()) + MemoryModel.encoderBytes(c)) + MemoryModel.imageStateBytes(c);
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
