"""The reference PyTorch side of bench/run-throughput.sh: facebookresearch/segment-anything's
SamPredictor and SamAutomaticMaskGenerator on vit_b with the golden README's formula weights,
timed as bench's ThroughputBench times jsam. "prompt": set_image, then one point at (500, 375),
multimask, masks upsampled to the image (first call, then the median of REPS). "amg": generate()
with the reference's defaults (encoder included), the first call and REPS more. Each line gives
wall seconds and the process's CPU seconds (time.process_time, all threads).

Usage: python3 reference_throughput.py THREADS IMAGE SEGMENT_ANYTHING_DIR REPS prompt|amg...
  SEGMENT_ANYTHING_DIR: a folder holding the reference's segment_anything package (dca509f)
Needs torch, numpy and Pillow. torchvision is not installed here, so the three functions the
reference calls from it are given as torchvision defines them: the resize of ResizeLongestSide
(Pillow's bilinear resize, which torchvision calls for a PIL image), box_area, and batched_nms
(boxes offset per category, then greedy NMS in descending score order, keeping indices sorted by
score). NMS runs on at most a few hundred boxes per crop, a few milliseconds in minutes.
"""
import os
import statistics
import sys
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def box_area(boxes):
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def nms(boxes, scores, iou_threshold):
    order = torch.sort(scores, descending=True, stable=True)[1]
    b = boxes[order]
    area = box_area(b)
    lt = torch.max(b[:, None, :2], b[None, :, :2])
    rb = torch.min(b[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    iou = (inter / (area[:, None] + area[None, :] - inter)).numpy()
    suppressed = np.zeros(len(order), dtype=bool)
    keep = []
    for i in range(len(order)):
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= iou[i] > iou_threshold
    return order[torch.as_tensor(keep, dtype=torch.long)]


def batched_nms(boxes, scores, idxs, iou_threshold):
    if boxes.numel() == 0:
        return torch.empty((0,), dtype=torch.int64)
    offsets = idxs.to(boxes) * (boxes.max() + 1)
    return nms(boxes + offsets[:, None], scores, iou_threshold)


def install_torchvision_functions(sa_dir):
    sys.path[:0] = [os.path.join(HERE, "reference_shim"), os.path.join(HERE, "..", "testdata", "dev"), sa_dir]
    import torchvision.ops.boxes as tv_boxes
    tv_boxes.batched_nms = batched_nms
    tv_boxes.box_area = box_area
    from segment_anything.utils.transforms import ResizeLongestSide

    def apply_image(self, image):
        h, w = ResizeLongestSide.get_preprocess_shape(image.shape[0], image.shape[1], self.target_length)
        return np.array(Image.fromarray(image).resize((w, h), Image.BILINEAR))

    ResizeLongestSide.apply_image = apply_image


def main():
    threads, image_path, sa_dir, reps = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    torch.set_num_threads(threads)
    install_torchvision_functions(sa_dir)
    import json
    import formula_state_dict as fsd
    from segment_anything import SamAutomaticMaskGenerator, SamPredictor, sam_model_registry
    with open(os.path.join(HERE, "..", "testdata", "golden", "sam_state_dict_shapes.json")) as f:
        shapes = json.load(f)["vit_b"]
    model = sam_model_registry["vit_b"]()
    model.load_state_dict(fsd.formula(shapes))
    model.eval()
    image = np.array(Image.open(image_path).convert("RGB"))
    for task in sys.argv[5:]:
        if task == "prompt":
            predictor = SamPredictor(model)
            with torch.no_grad():
                predictor.set_image(image)
            wall, cpu = [], []
            for _ in range(reps + 1):
                c, t = time.process_time(), time.perf_counter()
                with torch.no_grad():
                    predictor.predict(point_coords=np.array([[500, 375]]), point_labels=np.array([1]),
                                      multimask_output=True)
                wall.append((time.perf_counter() - t) * 1e3)
                cpu.append((time.process_time() - c) * 1e3)
            print(f"torch one prompt       first {wall[0]:7.1f} ms (cpu {cpu[0]:7.1f})  median "
                  f"{statistics.median(wall[1:]):6.1f} ms (cpu {statistics.median(cpu[1:]):6.1f}), "
                  f"range {min(wall[1:]):.1f}-{max(wall[1:]):.1f} ms")
        elif task in ("amg", "amg-all"):
            generator = SamAutomaticMaskGenerator(model) if task == "amg" else \
                SamAutomaticMaskGenerator(model, pred_iou_thresh=0.0, stability_score_thresh=0.0)
            for i in range(reps + 1):
                c, t = time.process_time(), time.perf_counter()
                with torch.no_grad():
                    masks = generator.generate(image)
                print(f"torch segment everything{' (all kept)' if task == 'amg-all' else ''} {'first' if i == 0 else 'next '} {time.perf_counter() - t:6.2f} s "
                      f"(cpu {time.process_time() - c:6.2f} s), {len(masks)} masks", flush=True)
        else:
            raise SystemExit("unknown task " + task)


if __name__ == "__main__":
    main()
