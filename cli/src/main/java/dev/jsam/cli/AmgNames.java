package dev.jsam.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The name of each image's output in `sam amg`: the file name without its extension, as the
 * reference's amg.py names it (photo.jpg gives photo/ or photo.json), except where two images
 * would share one (x.jpg and x.png): those keep their whole file name (x.jpg/ and x.png/), with a
 * warning. Names are compared ignoring case, so the outputs stay apart on macOS and Windows too.
 */
final class AmgNames {
    private AmgNames() {
    }

    /** Output names for the files, in their order; one warning line per clash on err. */
    static Map<Path, String> of(List<Path> files, PrintStream err) {
        Map<Path, String> names = new LinkedHashMap<>();
        for (Path f : files) {
            names.put(f, stem(f));
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            Map<String, List<Path>> byName = new LinkedHashMap<>();
            names.forEach((f, n) -> byName.computeIfAbsent(n.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(f));
            for (List<Path> clash : byName.values()) {
                if (clash.size() < 2) {
                    continue;
                }
                String shared = names.get(clash.get(0));
                boolean renamed = false;
                for (Path f : clash) {
                    String full = f.getFileName().toString();
                    renamed |= !full.equals(names.put(f, full));
                }
                if (renamed) {
                    err.println("warning: " + String.join(" and ", clash.stream().map(f -> f.getFileName().toString()).toList())
                            + " would share the output name \"" + shared + "\"; each is named by its whole file name instead");
                    changed = true;
                }
            }
        }
        return names;
    }

    static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
