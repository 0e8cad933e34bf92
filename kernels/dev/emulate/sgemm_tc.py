# Host emulation of the index logic of gemm.cu's sgemm_3xtf32_f32 / sgemm_bf16_f32 (needs numpy,
# no GPU): Tile128Loader's quads (float4 or element paths, B along k or along n), the two shared
# stages (A row-major with row stride 20, B k-major with row stride 136), the 8 warps' 64 x 32
# tiles, the tf32 m16n8k8 fragments (3XTF32) and the bf16 m16n8k8 fragments (BF16) as this project
# reads the PTX ISA, and the epilogue's float2 / scalar stores. Values stay float64 and unrounded
# (the rounding is TensorCoreArithmetic.java's job), so any error above ~1e-13 is an index slip and
# any NaN left in C an element no thread wrote. Says nothing about the hardware.
import numpy as np
TB, TK, ALD, BLD = 128, 16, 20, 136

def load(A, aR, aC, B, bR, bC, M, N, K, m0, n0, k0, vecA, bAlongN, vecBk):
    ra, rb = {}, {}
    for tid in range(256):
        for h in range(2):
            q = tid + 256 * h
            m = m0 + (q >> 2)
            k = k0 + 4 * (q & 3)
            # quad_along_k on A: float4 when vecA, else element by element; zero past the edges
            ra[q] = [A[m * aR + (k + e) * aC] if m < M and k + e < K else 0.0 for e in range(4)]
            if bAlongN:
                n, kb = n0 + 4 * (q & 31), k0 + (q >> 5)
                rb[q] = [B[kb * bR + n + e] if n < N and kb < K else 0.0 for e in range(4)]
            else:
                n = n0 + (q >> 2)
                rb[q] = [B[(k + e) * bR + n * bC] if n < N and k + e < K else 0.0 for e in range(4)]
    return ra, rb

def store(ra, rb, bAlongN):
    As = np.full((TB, ALD), np.nan); Bs = np.full((TK, BLD), np.nan)
    for q in range(512):
        o, k = q >> 2, 4 * (q & 3)
        As[o, k:k + 4] = ra[q]
        if bAlongN:
            Bs[q >> 5, 4 * (q & 31):4 * (q & 31) + 4] = rb[q]
        else:
            for e in range(4):
                Bs[k + e, o] = rb[q][e]
    return As, Bs

def gemm(mode, A, aR, aC, B, bR, bC, M, N, K):
    vecA = aC == 1 and aR % 4 == 0 and K % 4 == 0
    bAlongN = bC == 1 and bR % 4 == 0 and N % 4 == 0
    vecBk = not bAlongN and bR == 1 and bC % 4 == 0 and K % 4 == 0
    C = np.full((M, N), np.nan)
    for by in range((M + TB - 1) // TB):
        for bx in range((N + TB - 1) // TB):
            m0, n0 = by * TB, bx * TB
            acc = np.zeros((8, 32, 4, 4, 4))
            for k0 in range(0, K, TK):
                As, Bs = store(*load(A, aR, aC, B, bR, bC, M, N, K, m0, n0, k0, vecA, bAlongN, vecBk), bAlongN)
                for kk in (0, 8):
                    for warp in range(8):
                        wm, wn = (warp >> 2) * 64, (warp & 3) * 32
                        for i in range(4):
                            for j in range(4):
                                a = np.full((16, 8), np.nan); b = np.full((8, 8), np.nan)
                                for lane in range(32):
                                    g, t4 = lane >> 2, lane & 3
                                    r, col = wm + 16 * i + g, wn + 8 * j + g
                                    if mode == "3xtf32":
                                        a[g, t4] = As[r, kk + t4]; a[g + 8, t4] = As[r + 8, kk + t4]
                                        a[g, t4 + 4] = As[r, kk + t4 + 4]; a[g + 8, t4 + 4] = As[r + 8, kk + t4 + 4]
                                        b[t4, g] = Bs[kk + t4, col]; b[t4 + 4, g] = Bs[kk + t4 + 4, col]
                                    else:
                                        # fa[i][0] = pack(as[r][kk+2t4], as[r][kk+2t4+1]), fa[i][1] the same at r + 8
                                        a[g, 2 * t4:2 * t4 + 2] = As[r, kk + 2 * t4:kk + 2 * t4 + 2]
                                        a[g + 8, 2 * t4:2 * t4 + 2] = As[r + 8, kk + 2 * t4:kk + 2 * t4 + 2]
                                        b[2 * t4, g] = Bs[kk + 2 * t4, col]; b[2 * t4 + 1, g] = Bs[kk + 2 * t4 + 1, col]
                                d = a @ b
                                for lane in range(32):
                                    g, t4 = lane >> 2, lane & 3
                                    acc[warp, lane, i, j] += [d[g, 2 * t4], d[g, 2 * t4 + 1], d[g + 8, 2 * t4], d[g + 8, 2 * t4 + 1]]
            for warp in range(8):
                wm, wn = (warp >> 2) * 64, (warp & 3) * 32
                for lane in range(32):
                    g, t4 = lane >> 2, lane & 3
                    for i in range(4):
                        for half in range(2):
                            row = m0 + wm + 16 * i + g + 8 * half
                            if row >= M:
                                continue
                            for j in range(4):
                                col = n0 + wn + 8 * j + 2 * t4
                                if col + 1 < N:
                                    C[row, col:col + 2] = acc[warp, lane, i, j, 2 * half:2 * half + 2]
                                elif col < N:
                                    C[row, col] = acc[warp, lane, i, j, 2 * half]
    return C

rng = np.random.default_rng(0)
worst = 0.0
for (M, N, K) in [(7, 33, 17), (130, 140, 37), (129, 260, 68), (64, 128, 32)]:
    a = rng.uniform(-1, 1, (M, K)); b = rng.uniform(-1, 1, (K, N)); want = a @ b
    for aT in (False, True):
        for bT in (False, True):
            A = (a.T.copy() if aT else a).ravel(); aR, aC = (1, M) if aT else (K, 1)
            B = (b.T.copy() if bT else b).ravel(); bR, bC = (1, K) if bT else (N, 1)
            for mode in ("3xtf32", "bf16"):
                got = gemm(mode, A, aR, aC, B, bR, bC, M, N, K)
                err = np.nanmax(np.abs(got - want)); nan = int(np.isnan(got).sum())
                worst = max(worst, err if nan == 0 else np.inf)
                print(mode, (M, N, K), "aT", aT, "bT", bT, "max err %.1e" % err, "unwritten", nan)
print("worst %.1e" % worst)
