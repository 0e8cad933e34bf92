package dev.jsam.sam;

import dev.jsam.nn.SafetensorsSource;
import dev.jsam.sam.image.Images;
import dev.jsam.sam.image.RgbImage;
import dev.jsam.sam.modeling.Sam;
import dev.jsam.tensor.DType;
import dev.jsam.tensor.Tensor;
import dev.jsam.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * SamBatch.forward, the reference's Sam.forward, on two images with the tiny model: dog with the
 * golden file's three batched boxes (checked against the reference's predict_torch outputs) and
 * truck, given as U8 (3, h, w), with two single-point prompts; each image's masks, IoU and low-res
 * logits bit-identical to a SamPredictor given the same image and prompts.
 */
class SamBatchTest {
    @Test
    void forwardMatchesReferenceAndThePerImagePath() throws Exception {
        try (CpuBackend be = CpuBackend.create(2)) {
            Sam sam = Sam.fromSource(SafetensorsSource.open(Golden.testdata("golden/tiny/sam_tiny.safetensors"), be), be);
            SamPredictor predictor = new SamPredictor(sam);
            RgbImage dog = Images.read(Golden.testdata("images/dog.png"));
            RgbImage truck = Images.read(Golden.testdata("images/truck.png"));
            RgbImage dogInput = predictor.transform().applyImage(dog);
            RgbImage truckInput = predictor.transform().applyImage(truck);

            Map<?, ?> spec = (Map<?, ?>) Golden.json("golden/tiny/dog_cases.json").get("batched_boxes");
            float[] flat = new float[12];
            List<?> boxes = (List<?>) spec.get("boxes");
            for (int i = 0; i < 12; i++) {
                flat[i] = ((Number) ((List<?>) boxes.get(i / 4)).get(i % 4)).floatValue();
            }
            Tensor dogBoxes = Tensor.of(be, predictor.transform().applyBoxesTorch(flat, dog.height(), dog.width()), 3, 4);
            double[] points = predictor.transform().applyCoords(new double[] {500, 300, 1200, 700}, truck.height(), truck.width());
            Tensor truckPoints = Tensor.of(be, new float[] {(float) points[0], (float) points[1], (float) points[2],
                    (float) points[3]}, 2, 1, 2);
            int[][] truckLabels = {{1}, {1}};
            Tensor truckU8 = be.copyFromHost(DType.U8, MemorySegment.ofArray(truckInput.toHwcBytes()), truckInput.height(),
                    truckInput.width(), 3).permute(2, 0, 1); // 3 x h x w
            List<SamBatch.Output> out = SamBatch.forward(sam, List.of(
                    new SamBatch.Input(predictor.inputTensor(dogInput), dog.height(), dog.width(), null, null, dogBoxes, null),
                    new SamBatch.Input(truckU8, truck.height(), truck.width(), truckPoints, truckLabels, null, null)), true);
            assertEquals(2, out.size());

            Golden g = Golden.open("golden/tiny/dog.safetensors");
            g.assertIouClose("batched_boxes.iou_predictions", out.get(0).iouPredictions());
            g.assertClose("batched_boxes.low_res_logits", out.get(0).lowResLogits());
            g.assertMasksMatch("batched_boxes.masks_packed", PromptCase.bits(out.get(0).masks()), out.get(0).masks().dim(-1));

            predictor.setImage(dog);
            assertSame(predictor.predictTorch(null, null, dogBoxes, null, true, false), out.get(0));
            predictor.setImage(truck);
            assertSame(predictor.predictTorch(truckPoints, truckLabels, null, null, true, false), out.get(1));
            assertEquals(List.of(2, 3, truck.height(), truck.width()), List.of(out.get(1).masks().dim(0),
                    out.get(1).masks().dim(1), out.get(1).masks().dim(2), out.get(1).masks().dim(3)));
        }
    }

    @Test
    void inputWithoutPromptIsRefused() {
        try (CpuBackend be = CpuBackend.create(1)) {
            Tensor image = Tensor.of(be, new float[3 * 4 * 4], 3, 4, 4);
            assertThrows(IllegalArgumentException.class, () -> new SamBatch.Input(image, 4, 4, null, null, null, null));
        }
    }

    private static void assertSame(SamPredictor.BatchPrediction expected, SamBatch.Output actual) {
        assertArrayEquals(expected.masks().contiguous().toByteArray(), actual.masks().contiguous().toByteArray());
        assertArrayEquals(expected.iouPredictions().toFloatArray(), actual.iouPredictions().toFloatArray());
        assertArrayEquals(expected.lowResLogits().toFloatArray(), actual.lowResLogits().toFloatArray());
    }
}
