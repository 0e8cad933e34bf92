import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Makes the four-component JPEG variants beside it from dog_cmyk.jpg (Adobe CMYK, transform 0),
 * with the JDK only: `java MakeCmykVariants.java` in this folder. The JDK's JPEG writer stores a
 * raster's bands as given, without colour conversion, so:
 * - dog_ycck.jpg: the same inverted CMYK turned into Adobe YCCK here (R = 255 - C and so on, then
 *   JFIF's YCbCr of that RGB, K kept), written with the Adobe segment's transform set to 2;
 * - dog_ycck_transform1.jpg: dog_ycck.jpg with the transform byte patched to 1, a value libjpeg
 *   warns about and decodes as YCCK;
 * - dog_cmyk_noadobe.jpg: the CMYK samples written with no Adobe segment (libjpeg: plain CMYK).
 * Quality 0.9, no subsampling. The .cv2.png files then come from OpenCV 4.6 (see README.md).
 */
public class MakeCmykVariants {
    public static void main(String[] args) throws IOException {
        Raster cmyk;
        IIOMetadata metadata;
        try (ImageInputStream in = ImageIO.createImageInputStream(new File("dog_cmyk.jpg"))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            cmyk = reader.readRaster(0, null);
            metadata = reader.getImageMetadata(0);
        }
        WritableRaster ycck = cmyk.createCompatibleWritableRaster();
        int[] p = new int[4];
        for (int y = 0; y < cmyk.getHeight(); y++) {
            for (int x = 0; x < cmyk.getWidth(); x++) {
                cmyk.getPixel(x, y, p);
                double r = 255 - p[0];
                double g = 255 - p[1];
                double b = 255 - p[2];
                ycck.setPixel(x, y, new int[] {
                        clamp(0.299 * r + 0.587 * g + 0.114 * b),
                        clamp(-0.168735892 * r - 0.331264108 * g + 0.5 * b + 128),
                        clamp(0.5 * r - 0.418687589 * g - 0.081312411 * b + 128),
                        p[3]});
            }
        }
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
        ((IIOMetadataNode) root.getElementsByTagName("app14Adobe").item(0)).setAttribute("transform", "2");
        metadata.setFromTree(format, root);
        write(ycck, metadata, "dog_ycck.jpg");
        write(cmyk, null, "dog_cmyk_noadobe.jpg");
        byte[] bytes = Files.readAllBytes(Path.of("dog_ycck.jpg"));
        int adobe = new String(bytes, "ISO-8859-1").indexOf("Adobe");
        if (bytes[adobe + 11] != 2) {
            throw new IllegalStateException("transform byte not found");
        }
        bytes[adobe + 11] = 1;
        Files.write(Path.of("dog_ycck_transform1.jpg"), bytes);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    private static void write(Raster raster, IIOMetadata metadata, String name) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.9f);
        Files.deleteIfExists(Path.of(name));
        try (ImageOutputStream out = ImageIO.createImageOutputStream(new File(name))) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, metadata), param);
        }
        writer.dispose();
    }
}
