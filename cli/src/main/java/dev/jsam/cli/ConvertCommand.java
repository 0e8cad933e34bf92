package dev.jsam.cli;

import dev.jsam.convert.ConvertMain;

import java.io.PrintStream;

/** `sam convert`: the weights-converter module's command, unchanged. */
final class ConvertCommand {
    private ConvertCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return ConvertMain.run(args, out, err);
    }
}
