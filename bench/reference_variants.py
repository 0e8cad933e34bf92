"""The reference PyTorch side of bench/run-variants.sh: MobileSAM (vit_t) and HQ-SAM (hq_vit_b) with
the golden README's formula weights, timed as bench's VariantBench times jsam: per model the
encoder's first call, the median of the next REPS (resize with Pillow as ResizeLongestSide does,
then set_torch_image: normalise, pad, encode), and one point prompt (predict at (500, 375):
prompt encoder, decoder, masks upsampled to the image).

Usage: python3 reference_variants.py THREADS IMAGE MOBILE_SAM_DIR SAM_HQ_DIR [REPS]
  MOBILE_SAM_DIR: a folder holding ChaoningZhang/MobileSAM's mobile_sam package
  SAM_HQ_DIR: a folder holding SysCV/sam-hq's segment_anything package
Needs torch, numpy and Pillow; timm and torchvision are stood in by bench/reference_shim.
"""
import os
import statistics
import sys
import time

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    threads, image_path, mobile_dir, hq_dir = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    reps = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    torch.set_num_threads(threads)
    sys.path[:0] = [os.path.join(HERE, "reference_shim"), os.path.join(HERE, "..", "testdata", "dev"), mobile_dir, hq_dir]
    import formula_state_dict as fsd
    import json
    with open(os.path.join(HERE, "..", "testdata", "golden", "variants", "variant_state_dict_shapes.json")) as f:
        shapes = json.load(f)
    image = np.array(Image.open(image_path).convert("RGB"))
    h, w = image.shape[:2]
    scale = 1024 / max(h, w)
    size = (int(w * scale + 0.5), int(h * scale + 0.5))

    from mobile_sam import SamPredictor as MobilePredictor, sam_model_registry as mobile_registry
    from segment_anything import SamPredictor as HqPredictor, sam_model_registry as hq_registry
    models = [("vit_t", mobile_registry["vit_t"], MobilePredictor), ("hq_vit_b", hq_registry["vit_b"], HqPredictor)]
    for name, build, predictor_class in models:
        model = build()
        sd = fsd.formula(shapes[name])
        model.load_state_dict(sd, strict=False)
        model.eval()  # after loading, as MobileSAM's README does (TinyViT gathers its attention biases here)
        predictor = predictor_class(model)

        def encode():
            resized = np.array(Image.fromarray(image).resize(size, Image.BILINEAR))
            x = torch.as_tensor(resized).permute(2, 0, 1).contiguous()[None]
            with torch.no_grad():
                predictor.set_torch_image(x, (h, w))

        def prompt():
            with torch.no_grad():
                predictor.predict(point_coords=np.array([[500, 375]]), point_labels=np.array([1]), multimask_output=True)

        t = time.perf_counter()
        encode()
        first = time.perf_counter() - t
        enc = []
        for _ in range(reps):
            t = time.perf_counter()
            encode()
            enc.append(time.perf_counter() - t)
        prompt()
        dec = []
        for _ in range(2 * reps + 1):
            t = time.perf_counter()
            prompt()
            dec.append((time.perf_counter() - t) * 1e3)
        print(f"torch {name:8s} threads {threads}  encoder first {first:.2f} s, median {statistics.median(enc):.2f} s"
              f"  one prompt median {statistics.median(dec):.0f} ms")


if __name__ == "__main__":
    main()
