package dev.jsam.sam.amg;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.Tensor;

/**
 * {@link CropPredictor} over the library's {@link SamPredictor} and one RGB image, as the reference's
 * generator drives its predictor: set_image on the crop, points through apply_coords, one foreground
 * point per prompt, multimask, logits. It runs the prompt encoder and mask decoder as
 * {@code predict_torch} does ({@link SamPredictor#predictLowRes}) but keeps only the low-res
 * logits, upsampling one mask at a time when
 * asked ({@code postprocess_masks} treats masks independently), so a batch never holds B x 3 x H x W.
 * Not thread-safe (it holds a predictor and the current crop): one per generation, as
 * SamAutomaticMaskGenerator makes it.
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
        Sam model = predictor.model();
        double[] t = predictor.transform().applyCoords(pointsXY, cropH, cropW);
        float[] coords = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            coords[i] = (float) t[i];
        }
        int[][] labels = new int[n][];
        for (int i = 0; i < n; i++) {
            labels[i] = new int[] {1};
        }
        SamPredictor.LowRes low = predictor.predictLowRes(Tensor.of(model.backend(), coords, n, 1, 2), labels, null,
                null, true);
        return new LazyMasks(model, low.logits(), low.iouPredictions().toFloatArray(),
                predictor.getImageEmbedding().inputH(), predictor.getImageEmbedding().inputW(), cropH, cropW);
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

    /** Low-res logits (B, C, 256, 256) upsampled to the crop one mask at a time. */
    private record LazyMasks(Sam model, Tensor lowRes, float[] iou, int inputH, int inputW, int height, int width)
            implements MaskPredictions {

        @Override
        public int points() {
            return lowRes.dim(0);
        }

        @Override
        public int masksPerPoint() {
            return lowRes.dim(1);
        }

        @Override
        public float iou(int point, int k) {
            return iou[point * masksPerPoint() + k];
        }

        @Override
        public void copyLogits(int point, int k, float[] dst) {
            Tensor one = lowRes.narrow(0, point, 1).narrow(1, k, 1).contiguous();
            float[] up = model.postprocessMasks(one, inputH, inputW, height, width).contiguous().toFloatArray();
            System.arraycopy(up, 0, dst, 0, up.length);
        }
    }
}
