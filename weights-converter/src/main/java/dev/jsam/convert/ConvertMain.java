package dev.jsam.convert;

import dev.jsam.tensor.io.SafetensorsException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command line of the converter: {@code convert IN.pth OUT.safetensors [--dtype keep|f32|f16|bf16]}.
 * {@link #run} parses arguments, converts and returns an exit code (0 done, 1 conversion failed,
 * 2 bad usage) without exiting, so `sam convert` can call it; {@link #main} only wraps it.
 */
public final class ConvertMain {
    static final String USAGE = """
            usage: convert IN.pth OUT.safetensors [--dtype keep|f32|f16|bf16]
              Converts a PyTorch checkpoint (torch.save zip or legacy format) to safetensors.
              --dtype   cast floating point tensors (default keep); integer tensors are kept
              --help    show this help
            Only the globals that weight checkpoints need are accepted: files holding code or
            custom classes are refused. On failure no output file is left behind.""";

    private ConvertMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the converter; returns 0 on success, 1 if the conversion failed, 2 on bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> positional = new ArrayList<>();
        Converter.Target target = Converter.Target.KEEP;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(USAGE);
                return 0;
            } else if (a.equals("--dtype") || a.startsWith("--dtype=")) {
                String v = a.startsWith("--dtype=") ? a.substring(8) : (i + 1 < args.length ? args[++i] : null);
                target = parseTarget(v);
                if (target == null) {
                    return usage(err, "--dtype must be keep, f32, f16 or bf16, not " + v);
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                return usage(err, "unknown option " + a);
            } else {
                positional.add(a);
            }
        }
        if (positional.size() != 2) {
            return usage(err, "expected IN.pth and OUT.safetensors, got " + positional.size() + " file argument(s)");
        }
        Path in = Path.of(positional.get(0));
        Path outFile = Path.of(positional.get(1));
        if (!Files.isRegularFile(in)) {
            err.println("convert: error: " + in + ": no such file");
            return 1;
        }
        try {
            if (Files.exists(outFile) && Files.isSameFile(in, outFile)) {
                err.println("convert: error: the output would overwrite the input " + in);
                return 1;
            }
            long t0 = System.nanoTime();
            Converter.Result r = Converter.convert(in, outFile, target, out);
            double s = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "done in %.2f s (%.0f MB/s)%n", s, r.outputBytes() / 1e6 / Math.max(s, 1e-9));
            return 0;
        } catch (CheckpointException | SafetensorsException e) {
            err.println("convert: error: " + e.getMessage());
        } catch (NoSuchFileException e) {
            err.println("convert: error: no such file or directory: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            err.println("convert: error: " + e);
        }
        return 1;
    }

    private static Converter.Target parseTarget(String v) {
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "keep" -> Converter.Target.KEEP;
            case "f32", "float32" -> Converter.Target.F32;
            case "f16", "float16", "half" -> Converter.Target.F16;
            case "bf16", "bfloat16" -> Converter.Target.BF16;
            default -> null;
        };
    }

    private static int usage(PrintStream err, String problem) {
        err.println("convert: " + problem);
        err.println(USAGE);
        return 2;
    }
}
