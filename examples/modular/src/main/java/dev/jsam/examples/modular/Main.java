package dev.jsam.examples.modular;

import dev.jsam.sam.Mask;
import dev.jsam.sam.Masks;
import dev.jsam.sam.Prompt;
import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;

import java.nio.file.Path;
import java.util.Arrays;

/** Segments the object at the centre of an image: java Main CHECKPOINT IMAGE (writes mask.png). */
public class Main {
    public static void main(String[] args) throws Exception {
        Path checkpoint = Path.of(args[0]); // sam_vit_b.safetensors (a .pth too, with jsam-weights-converter)
        RgbImage image = Images.read(Path.of(args[1]));
        try (Sam sam = Sam.load(checkpoint)) { // CPU backend on all cores; weights memory-mapped until close
            SamPredictor predictor = new SamPredictor(sam); // one per thread; many may share the model
            predictor.setImage(image); // the image encoder runs once here
            Masks masks = predictor.predict(Prompt.point(image.width() / 2.0, image.height() / 2.0));
            Mask best = masks.best(); // three candidates; the one the model scores highest
            best.writePng(Path.of("mask.png"));
            System.out.printf("best of %d masks: %d of %d pixels, box %s, score %.3f%n", masks.size(), best.area(),
                    image.width() * image.height(), Arrays.toString(best.box()), best.score());
        }
    }
}
