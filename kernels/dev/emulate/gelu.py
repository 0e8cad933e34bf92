# Host emulation of jsam_gelu (jsam_common.cuh) in float32 with correctly rounded erfcx/exp, over
# the conformance suite's GELU sweep [-10, 10): prints the worst relative error against the float64
# oracle in units of u = 2^-24 (the bound is 16 u), and the same for erfcf of the rounded x/sqrt 2.
# CUDA's erfcxf/expf add a few ulp on top. Needs numpy only.
import math
import numpy as np

f = np.float32
U = 2.0 ** -24


def oracle(x):
    v = float(x)
    return f(0.5 * v * math.erfc(-v / math.sqrt(2)))


def tail_split(x):
    z = f(-x * f(0.70710678118654752))
    if z > f(0.5):
        hi = f(x * x)
        lo = f(float(x) * float(x) - float(hi))
        erfcx = f(math.exp(float(z) ** 2) * math.erfc(float(z)))
        e = f(f(math.exp(float(f(-0.5) * hi))) * f(math.exp(float(f(-0.5) * lo))))
        return f(f(f(0.5) * x) * f(erfcx * e))
    return f(f(f(0.5) * x) * f(math.erfc(float(z))))


def naive(x):
    z = f(-x * f(0.70710678118654752))
    return f(f(f(0.5) * x) * f(math.erfc(float(z))))


for name, fn in (("erfcx tail split", tail_split), ("erfcf(rounded z)", naive)):
    worst = 0.0
    for i in range(20001):
        x = f(-10 + i * f(1e-3))
        w = oracle(x)
        if w != 0:
            worst = max(worst, abs(float(fn(x)) - float(w)) / (U * abs(float(w))))
    print(f"{name}: max relative error {worst:.1f} u")
