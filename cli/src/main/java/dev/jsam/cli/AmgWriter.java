package dev.jsam.cli;

import dev.jsam.sam.amg.Annotations;
import dev.jsam.sam.amg.MaskRecord;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What `sam amg` writes per image, as the reference's scripts/amg.py does: a folder NAME/ of
 * i.png masks, metadata.csv and overlay.png, or with --convert-to-rle NAME.json (COCO RLE) and
 * NAME.overlay.png. Every file and folder appears whole or not at all (see {@link Partials}). Masks
 * stay run-length encoded: each PNG and the overlay read them a strip of rows at a time.
 */
final class AmgWriter {
    static final String CSV_HEADER = "id,area,bbox_x0,bbox_y0,bbox_w,bbox_h,point_input_x,point_input_y,predicted_iou,"
            + "stability_score,crop_box_x0,crop_box_y0,crop_box_w,crop_box_h";
    static final String MARKER = "metadata.csv";

    /** Writes one file through a path given to it. */
    @FunctionalInterface
    private interface FileWriter {
        void write(Path file) throws IOException;
    }

    private AmgWriter() {
    }

    /** DIR/NAME/ with a PNG per mask, metadata.csv and overlay.png. */
    static void writeFolder(Path folder, RgbImage image, List<MaskRecord> masks) throws IOException {
        try (OutputDir dir = OutputDir.create("--output", folder, MARKER)) {
            StringBuilder csv = new StringBuilder(CSV_HEADER).append('\n');
            for (int i = 0; i < masks.size(); i++) {
                MaskRecord m = masks.get(i);
                RleRows rows = new RleRows(m.rle());
                Images.writePng(image.width(), image.height(), 1, stripRows(image),
                        (y0, y1, grey) -> rows.read(y0, y1, grey, (byte) 255), dir.file(i + ".png"));
                int[] b = m.bboxXywh();
                int[] c = m.cropBoxXywh();
                csv.append(i).append(',').append(m.area()).append(',')
                        .append(b[0]).append(',').append(b[1]).append(',').append(b[2]).append(',').append(b[3]).append(',')
                        .append(PyFloat.repr(m.point()[0])).append(',').append(PyFloat.repr(m.point()[1])).append(',')
                        .append(PyFloat.repr(m.predictedIou())).append(',').append(PyFloat.repr(m.stabilityScore()))
                        .append(',').append(c[0]).append(',').append(c[1]).append(',').append(c[2]).append(',').append(c[3])
                        .append('\n');
            }
            overlay(image, masks, dir.file("overlay.png"));
            Files.writeString(dir.file(MARKER), csv);
            dir.commit();
        }
    }

    /** DIR/NAME.json (COCO RLE records) and DIR/NAME.overlay.png. */
    static void writeRle(Path output, String name, RgbImage image, List<MaskRecord> masks) throws IOException {
        String json = Json.write(Annotations.of(masks, Annotations.OutputMode.COCO_RLE));
        writeAtomically(output.resolve(name + ".json"), f -> Files.writeString(f, json));
        writeAtomically(output.resolve(name + ".overlay.png"), f -> overlay(image, masks, f));
    }

    /** The overlay of every mask, each read from its RLE a strip at a time. */
    private static void overlay(RgbImage image, List<MaskRecord> masks, Path file) throws IOException {
        List<RleRows> rows = new ArrayList<>();
        for (MaskRecord m : masks) {
            rows.add(new RleRows(m.rle()));
        }
        Overlay.write(image, rows.size(), (m, y0, y1, dst) -> rows.get(m).read(y0, y1, dst, (byte) 1), List.of(),
                List.of(), file);
    }

    /** Rows per strip of a mask PNG: about 1 MB. */
    private static int stripRows(RgbImage image) {
        return Math.max(1, (1 << 20) / image.width());
    }

    private static void writeAtomically(Path file, FileWriter writer) throws IOException {
        Path tmp = Partials.newFile(file);
        try {
            writer.write(tmp);
            Partials.commit(tmp, file);
        } finally {
            if (Files.exists(tmp)) {
                Partials.discard(tmp);
            }
        }
    }
}
