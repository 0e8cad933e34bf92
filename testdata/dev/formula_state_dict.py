"""The golden README's formula weights as a PyTorch state_dict, saved with torch.save.

Usage: /usr/bin/python3 formula_state_dict.py MODEL OUT.pth   (MODEL: vit_t or hq_vit_b)

Reads the keys and shapes from golden/variants/variant_state_dict_shapes.json, fills each key by
the formula of golden/README.md ("The synthetic vit_b weights", with the variants' batch-norm
rules), and adds the batch-norm counters num_batches_tracked (int64 scalars, 0 as in a fresh
model; the formula leaves them out, a torch.save'd state_dict of the reference model holds them).
The result is what the released checkpoints are: a state_dict saved by torch.save (zip format).
Needs numpy and torch (tested with Debian's python3-torch 1.13).
"""
import json
import os
import sys
from collections import OrderedDict

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
EMBEDDINGS = ("point_embeddings", "not_a_point_embed", "no_mask_embed", "gaussian_matrix", "iou_token", "mask_tokens")
M64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def splitmix64(x):
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def center_scale(key, shape):
    numel = int(np.prod(shape)) if shape else 1
    if key.endswith("running_var"):
        return 1.0, 0.5
    if key.endswith("running_mean"):
        return 0.0, 0.1
    if key.endswith(("rel_pos_h", "rel_pos_w", "pos_embed")):
        return 0.0, 0.1
    if len(shape) == 1 and key.endswith(".weight"):
        return 1.0, 0.1
    if key.endswith(".bias"):
        return 0.0, 0.05
    if not any(e in key for e in EMBEDDINGS):
        return 0.0, float(np.sqrt(3.0 / (numel / shape[0])))
    return 0.0, 1.0


def formula(shapes):
    out = OrderedDict()
    for k, key in enumerate(sorted(shapes)):
        shape = shapes[key]
        n = int(np.prod(shape)) if shape else 1
        z = splitmix64((np.uint64(k) << np.uint64(32)) | np.arange(n, dtype=np.uint64))
        u = (z >> np.uint64(40)).astype(np.float64) / float(1 << 24)
        c, s = center_scale(key, shape)
        out[key] = torch.from_numpy((c + s * (2 * u - 1)).astype(np.float32).reshape(shape))
    return out


def main():
    model, path = sys.argv[1], sys.argv[2]
    with open(os.path.join(HERE, "..", "golden", "variants", "variant_state_dict_shapes.json")) as f:
        shapes = json.load(f)[model]
    sd = formula(shapes)
    for key in list(sd):
        if key.endswith(".running_mean"):
            sd[key[: -len("running_mean")] + "num_batches_tracked"] = torch.tensor(0, dtype=torch.int64)
    torch.save(sd, path)


if __name__ == "__main__":
    main()
