package dev.jsam.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows this module writes. Segment everything: one row per mask with the keys of the
 * reference's scripts/amg.py JSON (segmentation as COCO RLE {size: [h, w], counts}, area, bbox
 * XYWH, predicted_iou, point_coords [[x, y]], stability_score, crop_box XYWH) after the image's
 * path and the mask's index, or one error row per image that could not be segmented (path and
 * error, every other column null). Prompts: the prompt's columns with its masks or an error.
 */
final class MaskRows {
    static final String PATH = "path", CONTENT = "content", ERROR = "error";
    private static final ArrayType INTS = DataTypes.createArrayType(DataTypes.IntegerType, false);

    /** COCO RLE: size [h, w] and the compressed counts string, as pycocotools reads it. */
    static final StructType SEGMENTATION = new StructType()
            .add("size", INTS, false)
            .add("counts", DataTypes.StringType, false);

    static final StructType AMG = new StructType()
            .add(PATH, DataTypes.StringType, false)
            .add("mask_index", DataTypes.IntegerType, true)
            .add("segmentation", SEGMENTATION, true)
            .add("area", DataTypes.IntegerType, true)
            .add("bbox", INTS, true)
            .add("predicted_iou", DataTypes.DoubleType, true)
            .add("point_coords", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false), false), true)
            .add("stability_score", DataTypes.DoubleType, true)
            .add("crop_box", INTS, true)
            .add(ERROR, DataTypes.StringType, true);

    /** One mask answering a prompt. */
    static final StructType PROMPT_MASK = new StructType()
            .add("segmentation", SEGMENTATION, false)
            .add("area", DataTypes.IntegerType, false)
            .add("bbox", INTS, false)
            .add("predicted_iou", DataTypes.DoubleType, false);

    /** The columns prompt mode adds to the prompt's own. */
    static final StructType PROMPT_RESULT = new StructType()
            .add("masks", DataTypes.createArrayType(PROMPT_MASK, false), true)
            .add(ERROR, DataTypes.StringType, true);

    private MaskRows() {
    }

    static Row amg(String path, int index, SamLibrary.Mask m) {
        return RowFactory.create(path, index, segmentation(m.height(), m.width(), m.counts()), m.area(), m.bbox(),
                m.predictedIou(), new double[][] {m.point()}, m.stabilityScore(), m.cropBox(), null);
    }

    static Row amgError(String path, String reason) {
        return RowFactory.create(path, null, null, null, null, null, null, null, null, reason);
    }

    static Row promptMask(SamLibrary.PromptMask m) {
        return RowFactory.create(segmentation(m.height(), m.width(), m.counts()), m.area(), m.bbox(), m.predictedIou());
    }

    private static Row segmentation(int height, int width, String counts) {
        return RowFactory.create(new int[] {height, width}, counts);
    }
}
