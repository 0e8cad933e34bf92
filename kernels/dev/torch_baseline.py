"""Outside baselines for the GPU table, run by gpu-check.sh on the device machine with its
PyTorch: device-to-device copy bandwidth (bytes read plus written) and cuBLAS sgemm through
torch at the vit_b encoder's linear shapes, in plain fp32 and in TF32. Medians of CUDA-event
timings after warm-up, random inputs."""
import torch


def median_ms(fn, reps=20, warm=3):
    for _ in range(warm):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    times.sort()
    return times[len(times) // 2]


def main():
    print(torch.cuda.get_device_name(), "torch", torch.__version__, "cuBLAS", torch.backends.cuda.preferred_blas_library())
    src = torch.rand(1 << 28, device="cuda")
    dst = torch.empty_like(src)
    ms = median_ms(lambda: dst.copy_(src))
    print(f"copy 1 GiB device-to-device {ms:.3f} ms {2 * src.numel() * 4 / ms / 1e6:.0f} GB/s")
    del src, dst
    tokens = 64 * 64
    for name, k, n in [("vitb_qkv", 768, 2304), ("vitb_proj", 768, 768), ("vitb_mlp1", 768, 3072), ("vitb_mlp2", 3072, 768)]:
        x = torch.rand(tokens, k, device="cuda") * 2 - 1
        w = torch.rand(n, k, device="cuda") * 2 - 1
        b = torch.rand(n, device="cuda") * 2 - 1
        for tf32 in (False, True):
            torch.backends.cuda.matmul.allow_tf32 = tf32
            ms = median_ms(lambda: torch.nn.functional.linear(x, w, b))
            print(f"torch linear {'tf32' if tf32 else 'fp32'} {name} {tokens}x{n}x{k} {ms:.3f} ms "
                  f"{2 * tokens * n * k / ms / 1e9:.2f} TFLOP/s")


if __name__ == "__main__":
    main()
