/**
 * Automatic mask generation (the reference's automatic_mask_generator.py and utils/amg.py) on plain
 * Java arrays. {@link dev.jsam.sam.amg.AutomaticMaskGenerator} drives a
 * {@link dev.jsam.sam.amg.CropPredictor} (the model side; {@link dev.jsam.sam.amg.SamCropPredictor}
 * wraps the library's predictor) over crops and point batches; {@link dev.jsam.sam.amg.BatchProcessor}
 * filters a batch one mask at a time into {@link dev.jsam.sam.amg.MaskRecord}s held as
 * {@link dev.jsam.sam.amg.Rle}; {@link dev.jsam.sam.amg.Nms}, {@link dev.jsam.sam.amg.SmallRegions} and
 * the rest are the reference's helpers, each reproducing its integer, float32 and tie-order details.
 */
package dev.jsam.sam.amg;
