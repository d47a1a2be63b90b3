#!/usr/bin/python3
"""Errors of a result file's /eval beyond the single rel_l2 of /metrics.

Prints the relative L2 error of every output against /eval/u_ref, and:
  --offset-free NAME   that output's error after removing the mean difference
                       (a pressure known only up to a constant, e.g. ns2d_lid);
  --burgers-nu NU      the error against the exact Burgers solution
                       u_t + u u_x = nu u_xx, u(x,0) = -sin(pi x), u(+-1,t) = 0
                       (Cole-Hopf, Gauss-Hermite quadrature, independent of
                       pde/cole_hopf.cpp) at the same points, and how far the
                       stored reference itself is from it.

Usage: /usr/bin/python3 tools/eval_errors.py RUN.h5 [--offset-free p] [--burgers-nu 0.0031830988618379067]
Needs h5py and numpy (Debian: python3-h5py, python3-numpy).
"""
import argparse
import sys

import h5py
import numpy as np


def rel_l2(a, b):
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def burgers_exact(points, nu, nodes=180):
    """Cole-Hopf: u = -int sin(pi y) f(y) G / int f(y) G, f = exp(-cos(pi y) / (2 pi nu)),
    G the heat kernel around x; the exponent is shifted by its maximum per point."""
    xh, wh = np.polynomial.hermite.hermgauss(nodes)
    u = np.empty(len(points))
    for i, (x, t) in enumerate(points):
        if t == 0:
            u[i] = -np.sin(np.pi * x)
            continue
        y = x - np.sqrt(4 * nu * t) * xh
        log_f = -np.cos(np.pi * y) / (2 * np.pi * nu)
        f = np.exp(log_f - log_f.max())
        u[i] = -np.sum(wh * np.sin(np.pi * y) * f) / np.sum(wh * f)
    return u


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run")
    parser.add_argument("--offset-free", action="append", default=[], metavar="OUTPUT")
    parser.add_argument("--burgers-nu", type=float)
    args = parser.parse_args()
    with h5py.File(args.run, "r") as f:
        if "eval" not in f or "u_ref" not in f["eval"]:
            sys.exit(f"{args.run}: /eval/u_ref: expected a run with a reference, got none")
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in f["eval"].attrs["output_names"]]
        points = f["eval/points"][()]
        pred = f["eval/u_pred"][()].reshape(len(points), -1)
        ref = f["eval/u_ref"][()].reshape(len(points), -1)
    print(f"{args.run}: {len(points)} points")
    print(f"  all outputs        rel_l2 {rel_l2(pred, ref):.3e}")
    for k, name in enumerate(names):
        print(f"  {name:<18} rel_l2 {rel_l2(pred[:, k], ref[:, k]):.3e}")
    for name in args.offset_free:
        if name not in names:
            sys.exit(f"--offset-free: expected one of {', '.join(names)}, got '{name}'")
        k = names.index(name)
        shifted = pred[:, k] - np.mean(pred[:, k] - ref[:, k])
        print(f"  {name} up to a constant rel_l2 {rel_l2(shifted, ref[:, k]):.3e}")
    if args.burgers_nu is not None:
        exact = burgers_exact(points, args.burgers_nu)
        print(f"  vs Cole-Hopf       rel_l2 {rel_l2(pred[:, 0], exact):.3e}")
        print(f"  reference vs Cole-Hopf rel_l2 {rel_l2(ref[:, 0], exact):.3e}")


if __name__ == "__main__":
    main()
