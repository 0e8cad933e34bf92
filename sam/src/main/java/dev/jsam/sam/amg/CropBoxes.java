package dev.jsam.sam.amg;

import java.util.ArrayList;
import java.util.List;

/**
 * The crops of automatic mask generation ({@code generate_crop_boxes}): the whole image, then for
 * layer i (from 1) a 2^i x 2^i grid of overlapping XYXY crops, x-major like the reference's
 * {@code product(x0s, y0s)}, with its integer truncations and ceiling reproduced.
 * Immutable, thread-safe.
 */
public record CropBoxes(List<int[]> boxes, List<Integer> layerIdxs) {

    /** Crop boxes for an image of imH x imW. */
    public static CropBoxes generate(int imH, int imW, int nLayers, double overlapRatio) {
        List<int[]> boxes = new ArrayList<>();
        List<Integer> layers = new ArrayList<>();
        int shortSide = Math.min(imH, imW);
        boxes.add(new int[] {0, 0, imW, imH});
        layers.add(0);
        for (int layer = 0; layer < nLayers; layer++) {
            int nPerSide = 1 << (layer + 1);
            int overlap = (int) (overlapRatio * shortSide * (2.0 / nPerSide));
            int cropW = cropLen(imW, nPerSide, overlap);
            int cropH = cropLen(imH, nPerSide, overlap);
            for (int i = 0; i < nPerSide; i++) {
                int x0 = (cropW - overlap) * i;
                for (int j = 0; j < nPerSide; j++) {
                    int y0 = (cropH - overlap) * j;
                    boxes.add(new int[] {x0, y0, Math.min(x0 + cropW, imW), Math.min(y0 + cropH, imH)});
                    layers.add(layer + 1);
                }
            }
        }
        return new CropBoxes(List.copyOf(boxes), List.copyOf(layers));
    }

    private static int cropLen(int origLen, int nCrops, int overlap) {
        return (int) Math.ceil(((double) overlap * (nCrops - 1) + origLen) / nCrops);
    }
}
