package dev.jsam.sam.image;

import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;

/**
 * Listens to a reader's warnings for the ones that mean the pixels are not the file's: the JDK's
 * JPEG decoder (libjpeg inside) only warns when a file is cut short or its data is corrupt, and
 * fills what it could not decode with grey. Those warnings are remembered so that the read fails;
 * warnings about metadata (an unknown Adobe transform code, an invalid colour profile, a JFIF
 * thumbnail) do not touch the pixels and are let pass, as OpenCV lets them.
 */
final class DamageWarnings implements IIOReadWarningListener {
    /** Starts of the messages that report damage: libjpeg's JWRN_* texts and the JDK's own. */
    private static final List<String> DAMAGE = List.of(
            "Corrupt JPEG data",                 // bad Huffman or arithmetic code, data cut short, stray bytes, lost restart
            "Premature end of JPEG file",        // the file ended inside the image data
            "Truncated File",                    // the JDK: no EOI marker at the end
            "Inconsistent progression sequence"  // a progressive scan contradicting the ones before
    );

    private String first;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
        if (first == null && warning != null && DAMAGE.stream().anyMatch(warning::startsWith)) {
            first = warning;
        }
    }

    /** The first warning that reported damage, or null if none did. */
    String damage() {
        return first;
    }
}
