package dev.jsam.sam.amg;

import dev.jsam.sam.SamPredictor;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.sam.utils.ResizeLongestSide;
import dev.jsam.tensor.Tensor;

/**
 * {@link CropPredictor} over the library's {@link SamPredictor} and one RGB image, as the reference's
 * generator drives its predictor: set_image on the crop, points through apply_coords, one foreground
 * point per prompt, multimask, logits. It runs the prompt encoder and mask decoder as
 * {@code predict_torch} does ({@link SamPredictor#predictLowRes}) but keeps only the low-res
 * logits, upsampling one mask at a time when asked ({@code postprocess_masks} treats masks
 * independently), so a batch never holds B x 3 x H x W. The model half is a {@link LowResModel}.
 * Not thread-safe (it holds a predictor and the current crop): one per generation, as
 * SamAutomaticMaskGenerator makes it.
 */
public final class SamCropPredictor implements CropPredictor {
    private final Sam model;
    private final ResizeLongestSide transform;
    private final LowResModel lowResModel;
    private final RgbImage image;
    private int cropH;
    private int cropW;
    private int inputH;
    private int inputW;

    public SamCropPredictor(SamPredictor predictor, RgbImage image) {
        this(predictor.model(), new PredictorModel(predictor), image);
    }

    /** Over any model half; {@code model} gives the input size and {@code postprocess_masks}. */
    SamCropPredictor(Sam model, LowResModel lowResModel, RgbImage image) {
        this.model = model;
        this.transform = new ResizeLongestSide(model.imgSize());
        this.lowResModel = lowResModel;
        this.image = image;
    }

    @Override
    public void setCrop(int[] cropBox) {
        cropW = cropBox[2] - cropBox[0];
        cropH = cropBox[3] - cropBox[1];
        int[] input = ResizeLongestSide.getPreprocessShape(cropH, cropW, transform.targetLength());
        inputH = input[0];
        inputW = input[1];
        lowResModel.setImage(crop(image, cropBox));
    }

    @Override
    public MaskPredictions predict(double[] pointsXY) {
        LowResModel.LowRes low = lowResModel.predict(transform.applyCoords(pointsXY, cropH, cropW));
        return new LazyMasks(model, low.logits(), low.iou(), inputH, inputW, cropH, cropW);
    }

    /** The library's own model half: {@link SamPredictor#predictLowRes} with the points as float32. */
    private record PredictorModel(SamPredictor predictor) implements LowResModel {
        @Override
        public void setImage(RgbImage crop) {
            predictor.setImage(crop);
        }

        @Override
        public LowRes predict(double[] inputPointsXY) {
            int n = inputPointsXY.length / 2;
            float[] coords = new float[inputPointsXY.length];
            for (int i = 0; i < coords.length; i++) {
                coords[i] = (float) inputPointsXY[i];
            }
            int[][] labels = new int[n][];
            for (int i = 0; i < n; i++) {
                labels[i] = new int[] {1};
            }
            Tensor points = Tensor.of(predictor.model().backend(), coords, n, 1, 2);
            SamPredictor.LowRes low = predictor.predictLowRes(points, labels, null, null, true);
            return new LowRes(low.logits(), low.iouPredictions().toFloatArray());
        }
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
