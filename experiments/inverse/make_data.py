#!/usr/bin/env python3
"""Synthetic observations for the inverse experiments in this folder.

Writes clean samples of known solutions at uniformly random points (seeded,
so the files are reproducible); pinnkit adds the noise itself
(problem.observations.noise, docs/custom_pde.md), so one file serves every
noise level.

  burgers1d_nu0.05.csv  u of Burgers u_t + u u_x = nu u_xx, u(x,0) = -sin(pi x),
                        u(+-1,t) = 0, nu = 0.05, by the Cole-Hopf transform
                        (the same quadrature as pde/cole_hopf.cpp)
  heat1d_k0.1.csv       u = exp(-k pi^2 t) sin(pi x), k = 0.1 (catalog heat1d)

Run from the repository root: python3 experiments/inverse/make_data.py
Plain Python (no numpy), so it runs wherever the tests run.
"""
import math
import os
import random


def burgers(x, t, nu):
    if t == 0:
        return -math.sin(math.pi * x)
    half = math.sqrt(4 * nu * t * (1 / (math.pi * nu) + 40))
    feature = min(math.sqrt(2 * nu * t), math.sqrt(2 * nu / math.pi))
    n = 2 * math.ceil(half / (feature / 24)) + 1
    h = 2 * half / (n - 1)

    def exponent(e):
        return -math.cos(math.pi * (x - e)) / (2 * math.pi * nu) - e * e / (4 * nu * t)

    peak = max(exponent(-half + i * h) for i in range(n))
    num = den = 0.0
    for i in range(n):
        e = -half + i * h
        w = math.exp(exponent(e) - peak) * (0.5 if i in (0, n - 1) else 1.0)
        num += math.sin(math.pi * (x - e)) * w
        den += w
    return -num / den


def heat(x, t, k):
    return math.exp(-k * math.pi ** 2 * t) * math.sin(math.pi * x)


def write(path, rows):
    with open(path, "w") as f:
        f.write("x,t,u\n")
        for x, t, u in rows:
            f.write("%.17g,%.17g,%.17g\n" % (x, t, u))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(2024)
    pts = [(rng.uniform(-1, 1), rng.uniform(0, 1)) for _ in range(200)]
    write(os.path.join(here, "burgers1d_nu0.05.csv"), [(x, t, burgers(x, t, 0.05)) for x, t in pts])
    rng = random.Random(2025)
    pts = [(rng.uniform(0, 1), rng.uniform(0, 1)) for _ in range(100)]
    write(os.path.join(here, "heat1d_k0.1.csv"), [(x, t, heat(x, t, 0.1)) for x, t in pts])


if __name__ == "__main__":
    main()
