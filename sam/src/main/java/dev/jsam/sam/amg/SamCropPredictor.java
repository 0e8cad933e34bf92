package dev.jsam.sam.amg;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.tensor.Tensor;

/**
 * {@link CropPredictor} over the library's {@link SamPredictor} and one RGB image, as the reference's
 * generator drives its predictor: set_image on the crop, points through the transform's apply_coords,
 * {@code predict_torch} with one foreground point per prompt, multimask, logits. Simple rather than
 * lean: a batch's masks come back from the predictor as one (B, 3, H, W) float tensor.
 */
public final class SamCropPredictor implements CropPredictor {
    private final SamPredictor predictor;
    private final RgbImage image;
    private int cropH;
    private int cropW;

    public SamCropPredictor(SamPredictor predictor, RgbImage image) {
        this.predictor = predictor;
        this.image = image;
    }

    @Override
    public void setCrop(int[] cropBox) {
        cropW = cropBox[2] - cropBox[0];
        cropH = cropBox[3] - cropBox[1];
        predictor.setImage(crop(image, cropBox));
    }

    @Override
    public MaskPredictions predict(double[] pointsXY) {
        int n = pointsXY.length / 2;
        double[] t = predictor.transform().applyCoords(pointsXY, cropH, cropW);
        float[] coords = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            coords[i] = (float) t[i];
        }
        int[][] labels = new int[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = new int[] {1};
        }
        Tensor points = Tensor.of(predictor.model().backend(), coords, n, 1, 2);
        SamPredictor.BatchPrediction b = predictor.predictTorch(points, labels, null, null, true, true);
        int masks = b.masks().dim(1);
        return MaskPredictions.of(n, masks, cropH, cropW, b.masks().contiguous().toFloatArray(),
                b.iouPredictions().contiguous().toFloatArray());
    }

    /** The XYXY region of an image as an image of its own. */
    static RgbImage crop(RgbImage image, int[] box) {
        if (box[0] == 0 && box[1] == 0 && box[2] == image.width() && box[3] == image.height()) {
            return image;
        }
        int w = box[2] - box[0];
        int h = box[3] - box[1];
        byte[] src = image.toHwcBytes();
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(src, 3 * ((y + box[1]) * image.width() + box[0]), out, 3 * y * w, 3 * w);
        }
        return RgbImage.of(w, h, out);
    }
}
