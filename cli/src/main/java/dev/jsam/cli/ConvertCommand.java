package dev.jsam.cli;

import dev.jsam.convert.Converter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * `sam convert`: the weights-converter module's conversion behind the command line's own checks
 * (the input is a file, the output is not a folder nor under a file, an existing output is replaced
 * only with --force). Malformed or refused checkpoints are bad input (exit code 2), like the rest.
 */
final class ConvertCommand {
    static final CommandSpec SPEC = new CommandSpec("convert",
            "a PyTorch .pth checkpoint to safetensors, without running pickle code",
            "IN.pth OUT.safetensors [--dtype keep|f32|f16|bf16] [--force]", 2, List.of(
            CommandSpec.Option.valued("--dtype", "T", "cast floating-point tensors: keep (default), f32, f16 or bf16"),
            CommandSpec.Option.flag("--force", "replace OUT if it exists")), """
            Reads the torch.save zip and the legacy formats. Only the globals weight checkpoints need
            are accepted: files holding code or custom classes are refused. On failure no output file
            is left behind.""");

    private ConvertCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws IOException {
        Args args = SPEC.parse(argv);
        if (args.positional().size() != 2) {
            throw new UsageException("expected IN.pth and OUT.safetensors, got " + args.positional().size()
                    + " file argument(s)");
        }
        Converter.Target target = target(args.get("--dtype"));
        Path in = Inputs.file("input", args.positional().get(0));
        Path outFile = Path.of(args.positional().get(1));
        Inputs.outputFile("output", outFile);
        if (Files.exists(outFile)) {
            if (Files.isSameFile(in, outFile)) {
                throw new UsageException("output " + outFile + " is the input; choose another name");
            }
            if (!args.has("--force")) {
                throw new UsageException("output " + outFile + " exists; add --force to replace it");
            }
        }
        long t0 = System.nanoTime();
        Converter.Result r = Converter.convert(in, outFile, target, out);
        out.printf(Locale.ROOT, "done in %.2f s: wrote %.0f MB%n", (System.nanoTime() - t0) / 1e9, r.outputBytes() / 1e6);
        return 0;
    }

    private static Converter.Target target(String dtype) {
        return switch (dtype == null ? "keep" : dtype.toLowerCase(Locale.ROOT)) {
            case "keep" -> Converter.Target.KEEP;
            case "f32", "float32" -> Converter.Target.F32;
            case "f16", "float16", "half" -> Converter.Target.F16;
            case "bf16", "bfloat16" -> Converter.Target.BF16;
            default -> throw new UsageException("--dtype must be keep, f32, f16 or bf16, not " + dtype);
        };
    }
}
