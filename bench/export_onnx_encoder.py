#!/usr/bin/env python3
"""Exports the reference vit_b image encoder to ONNX for bench's ONNX Runtime baseline (OrtEncoderBench).

The model is the reference code's own (facebookresearch/segment-anything at dca509f, its
modeling/ package imported from a checkout), built as build_sam_vit_b builds it, with the
synthetic weights of testdata/golden/README.md ("The synthetic vit_b weights"), the same values
jsam's SyntheticWeights makes, so the two encoders can be compared output for output.
Needs torch (Debian's python3-torch 1.13 at /usr/bin/python3) and numpy; no torchvision.
The .onnx file (~360 MB) is an artefact: keep it out of git (the default is under bench/target).
Usage: /usr/bin/python3 bench/export_onnx_encoder.py REFERENCE_CHECKOUT [OUT.onnx]
"""
import math
import os
import sys

import numpy as np
import torch

U64 = np.uint64


def splitmix_u(k, n):
    """u = (splitmix64((k << 32) | i) >>> 40) / 2^24 for i < n, as in the golden README."""
    x = (U64(k) << U64(32)) | np.arange(n, dtype=U64)
    with np.errstate(over="ignore"):
        z = x + U64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> U64(30))) * U64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> U64(27))) * U64(0x94D049BB133111EB)
        z = z ^ (z >> U64(31))
    return (z >> U64(40)).astype(np.float64) / float(1 << 24)


def center_scale(key, shape):
    positional = key.endswith(("rel_pos_h", "rel_pos_w", "pos_embed"))
    embedding = any(s in key for s in ("point_embeddings", "not_a_point_embed", "no_mask_embed",
                                       "gaussian_matrix", "iou_token", "mask_tokens"))
    if positional:
        return 0.0, 0.1
    if embedding:
        return 0.0, 1.0
    if len(shape) == 1 and key.endswith(".weight"):
        return 1.0, 0.1
    if key.endswith(".bias"):
        return 0.0, 0.05
    numel = math.prod(shape)
    return 0.0, math.sqrt(3.0 / (numel / shape[0]))


def build_vit_b(reference):
    # modeling/ alone: the package's __init__ pulls in the mask generator, which needs torchvision
    sys.path.insert(0, os.path.join(reference, "segment_anything"))
    from functools import partial
    from modeling import ImageEncoderViT, MaskDecoder, PromptEncoder, Sam, TwoWayTransformer

    # ref: segment_anything/build_sam.py _build_sam with build_sam_vit_b's arguments @ dca509f
    prompt_embed_dim, image_size, vit_patch_size = 256, 1024, 16
    embedding = image_size // vit_patch_size
    return Sam(
        image_encoder=ImageEncoderViT(
            depth=12, embed_dim=768, img_size=image_size, mlp_ratio=4,
            norm_layer=partial(torch.nn.LayerNorm, eps=1e-6), num_heads=12, patch_size=vit_patch_size,
            qkv_bias=True, use_rel_pos=True, global_attn_indexes=[2, 5, 8, 11], window_size=14,
            out_chans=prompt_embed_dim),
        prompt_encoder=PromptEncoder(
            embed_dim=prompt_embed_dim, image_embedding_size=(embedding, embedding),
            input_image_size=(image_size, image_size), mask_in_chans=16),
        mask_decoder=MaskDecoder(
            num_multimask_outputs=3,
            transformer=TwoWayTransformer(depth=2, embedding_dim=prompt_embed_dim, mlp_dim=2048, num_heads=8),
            transformer_dim=prompt_embed_dim, iou_head_depth=3, iou_head_hidden_dim=256),
        pixel_mean=[123.675, 116.28, 103.53],
        pixel_std=[58.395, 57.12, 57.375],
    )


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[2] if len(sys.argv) > 2 else "bench/target/onnx/vit_b_encoder_synthetic.onnx"
    sam = build_vit_b(sys.argv[1]).eval()
    state = sam.state_dict()
    for k, key in enumerate(sorted(state)):
        t = state[key]
        center, scale = center_scale(key, list(t.shape))
        values = (center + scale * (2 * splitmix_u(k, t.numel()) - 1)).astype(np.float32)
        t.copy_(torch.from_numpy(values.reshape(t.shape)))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    x = torch.zeros(1, 3, 1024, 1024)
    with torch.no_grad():
        torch.onnx.export(sam.image_encoder, x, out, opset_version=17, input_names=["image"],
                          output_names=["image_embeddings"], do_constant_folding=True)
    print(f"wrote {out}: torch {torch.__version__}, {len(state)} state_dict tensors")


if __name__ == "__main__":
    main()
