"""The reference image encoder's own times on the GPU, for issue 20 item 6: run by gpu-check.sh on
the device machine beside CudaBench, same card, same call. Builds the reference ImageEncoderViT
(vit_b and vit_h sizes, random weights: times do not depend on the values) from the modeling
package gpu-prepare.sh packed from a segment-anything checkout (argument: the folder holding
sam_modeling/), and times one 1 x 3 x 1024 x 1024 encoding, median of CUDA-event timings after
warm-up, in three modes:
  fp32       the reference as written, TF32 off for matmuls and convolutions;
  tf32       the same with TF32 allowed;
  bf16+sdpa  bf16 autocast, the attention replaced by F.scaled_dot_product_attention with the
             decomposed relative positions passed as its additive mask (our wrapper, below).
Each mode's features are compared with fp32's (relative L2), and the SDPA wrapper is checked in
fp32 against the reference attention first, so a slip in it shows as a large difference."""
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, sys.argv[1] if len(sys.argv) > 1 else ".")
from sam_modeling import image_encoder as ie  # noqa: E402  (the reference, packed by gpu-prepare.sh)
from torch_baseline import median_ms  # noqa: E402  (this folder's CUDA-event timing)

SIZES = {
    "vit_b": dict(depth=12, embed_dim=768, num_heads=12, global_attn_indexes=[2, 5, 8, 11]),
    "vit_h": dict(depth=32, embed_dim=1280, num_heads=16, global_attn_indexes=[7, 15, 23, 31]),
}


def build(name):
    from functools import partial
    return ie.ImageEncoderViT(img_size=1024, patch_size=16, mlp_ratio=4, out_chans=256, qkv_bias=True,
                              norm_layer=partial(torch.nn.LayerNorm, eps=1e-6), use_rel_pos=True, window_size=14,
                              **SIZES[name]).cuda().eval()


def sdpa_forward(self, x):
    """The reference Attention's function through SDPA: the rel-pos terms q . Rh and q . Rw (q
    unscaled, as the reference adds them after scaling the scores) summed into an additive mask."""
    b, h, w, _ = x.shape
    qkv = self.qkv(x).reshape(b, h * w, 3, self.num_heads, -1).permute(2, 0, 3, 1, 4)
    q, k, v = qkv.unbind(0)  # each (b, heads, h*w, d)
    mask = None
    if self.use_rel_pos:
        rh = ie.get_rel_pos(h, h, self.rel_pos_h).to(q.dtype)
        rw = ie.get_rel_pos(w, w, self.rel_pos_w).to(q.dtype)
        rq = q.reshape(b * self.num_heads, h, w, -1)
        rel_h = torch.einsum("bhwc,hkc->bhwk", rq, rh)
        rel_w = torch.einsum("bhwc,wkc->bhwk", rq, rw)
        mask = (rel_h[:, :, :, :, None] + rel_w[:, :, :, None, :]).reshape(b, self.num_heads, h * w, h * w)
    o = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=self.scale)
    o = o.view(b, self.num_heads, h, w, -1).permute(0, 2, 3, 1, 4).reshape(b, h, w, -1)
    return self.proj(o)


def rel_l2(a, b):
    a, b = a.double(), b.double()
    return ((a - b).norm() / b.norm()).item()


def main():
    print(torch.cuda.get_device_name(), "torch", torch.__version__)
    reference_forward = ie.Attention.forward
    for name in ("vit_b", "vit_h"):
        torch.manual_seed(0)
        enc = build(name)
        for p in enc.parameters():  # the reference zero-initialises pos_embed and rel_pos: give them values
            torch.nn.init.normal_(p, std=0.02) if p.dim() > 1 else torch.nn.init.normal_(p, std=0.1)
        x = torch.randn(1, 3, 1024, 1024, device="cuda")
        reps = 10 if name == "vit_b" else 5
        with torch.inference_mode():
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
            ie.Attention.forward = reference_forward
            want = enc(x).float()
            ie.Attention.forward = sdpa_forward
            print(f"{name} sdpa wrapper fp32 vs reference fp32: rel L2 {rel_l2(enc(x), want):.2e}")
            for mode in ("fp32", "tf32", "bf16+sdpa"):
                tf32 = mode == "tf32"
                torch.backends.cuda.matmul.allow_tf32 = tf32
                torch.backends.cudnn.allow_tf32 = tf32
                ie.Attention.forward = sdpa_forward if mode == "bf16+sdpa" else reference_forward
                if mode == "bf16+sdpa":
                    run = lambda: torch.autocast("cuda", dtype=torch.bfloat16)(enc)(x)  # noqa: E731
                else:
                    run = lambda: enc(x)  # noqa: E731
                t0 = time.time()
                ms = median_ms(run, reps, warm=2)
                got = run().float()
                print(f"torch encoder {name} {mode:9s} {ms:8.2f} ms  rel L2 vs fp32 {rel_l2(got, want):.2e}"
                      f"  ({time.time() - t0:.1f} s with warm-up)", flush=True)
        ie.Attention.forward = reference_forward
        del enc
        torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
