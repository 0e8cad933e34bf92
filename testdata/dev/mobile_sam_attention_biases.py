"""Reference MobileSAM outputs with its attention biases in use, for golden/variants/mobile_sam_dog_biases.safetensors.

Why: the reference's build_sam_vit_t() calls eval() before load_state_dict(), and TinyViT's
Attention gathers its bias table into a buffer (`ab`) at eval() time, so a model built and
loaded that way runs with the constructor's zero biases; golden/variants/mobile_sam_dog.safetensors
was made so. MobileSAM's README and demo app call eval() again after loading, which gathers the
loaded biases: this script records that run, for the same formula weights, image and prompts.

Usage: /usr/bin/python3 mobile_sam_attention_biases.py REF SHIM WEIGHTS.pth SHARED_GOLDEN OUT.safetensors
  REF: a folder holding ChaoningZhang/MobileSAM's mobile_sam package (commit 34bbbfd)
  SHIM: bench/reference_shim (stand-ins for what it imports and this run never calls: timm's DropPath,
        to_2tuple, trunc_normal_, register_model; torchvision's resize, to_pil_image, batched_nms,
        box_area); with the real packages installed, any empty folder
  WEIGHTS.pth: formula_state_dict.py vit_t's output
  SHARED_GOLDEN: shared/golden/variants/mobile_sam_dog.safetensors, for the reference's resized
        input_image (the predictor's resize needs torchvision) and to check the stale-bias run
Writes the encoder trace crops (rows 20..35, columns 24..39 of each stage's grid, as the shared
file), the features on the same crop, and case point1_multi's IoU, low-res logits and packed masks.
"""
import json
import struct
import sys

import numpy as np
import torch


def read_safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        dt = {"F32": np.float32, "U8": np.uint8}[v["dtype"]]
        out[k] = np.frombuffer(b[8 + n + s:8 + n + e], dtype=dt).reshape(v["shape"])
    return out


def write_safetensors(path, tensors, meta):
    header, chunks, off = {}, [], 0
    for k in sorted(tensors):
        a = np.ascontiguousarray(tensors[k])
        raw = a.tobytes()
        header[k] = {"dtype": {np.dtype(np.float32): "F32", np.dtype(np.uint8): "U8"}[a.dtype], "shape": list(a.shape),
                     "data_offsets": [off, off + len(raw)]}
        chunks.append(raw)
        off += len(raw)
    header["__metadata__"] = meta
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(chunks))


def main():
    ref, shim, weights, shared, out = sys.argv[1:6]
    sys.path[:0] = [shim, ref]
    from mobile_sam import SamPredictor, sam_model_registry
    torch.set_num_threads(2)
    g = read_safetensors(shared)
    model = sam_model_registry["vit_t"]()
    model.load_state_dict(torch.load(weights))
    image = torch.as_tensor(g["input_image"].copy()).permute(2, 0, 1).contiguous()[None].float()

    stale = SamPredictor(model)
    with torch.no_grad():
        stale.set_torch_image(image, (534, 800))
    d = stale.features.numpy().astype(np.float64) - g["features"]
    print("stale-bias run vs the shared golden: relL2", np.linalg.norm(d) / np.linalg.norm(g["features"]))

    model.eval()  # as MobileSAM's README and app.py do after building: gathers the loaded biases
    trace = {}
    enc = model.image_encoder
    enc.patch_embed.register_forward_hook(lambda m, i, o: trace.__setitem__("patch_embed", o[:, :, 20:36, 24:40]))
    for s in range(4):
        def hook(m, i, o, s=s):
            g_ = int(round(o.shape[1] ** 0.5))
            trace["layers%d" % s] = o.reshape(o.shape[0], g_, g_, o.shape[2])[:, 20:36, 24:40]
        enc.layers[s].register_forward_hook(hook)
    p = SamPredictor(model)
    with torch.no_grad():
        p.set_torch_image(image, (534, 800))
    tensors = {"encoder." + k: v.contiguous().numpy() for k, v in trace.items()}
    tensors["features.rows20to35_cols24to39"] = p.features[:, :, 20:36, 24:40].contiguous().numpy()
    masks, iou, low = p.predict(point_coords=np.array([[500, 375]]), point_labels=np.array([1]), multimask_output=True)
    tensors["point1_multi.iou_predictions"] = iou.astype(np.float32)
    tensors["point1_multi.low_res_logits"] = low.astype(np.float32)
    tensors["point1_multi.masks_packed"] = np.packbits(masks, axis=-1)
    write_safetensors(out, tensors, {"source": "MobileSAM vit_t, formula weights, attention biases in use, dog.png"})


if __name__ == "__main__":
    main()
