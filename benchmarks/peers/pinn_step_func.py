"""PyTorch peer of bench_step written with function transforms instead of
nested autograd: per-point derivatives of the network with respect to its
input by vmap over jacrev/jacfwd (forward-over-reverse, what
torch.func.hessian does), the loss gradient by loss.backward() through the
vmapped transforms, torch.optim.Adam. Same cases, networks, points,
residuals and update as pinn_step.py (it imports them from there), so the
two peers differ only in how the derivatives are formed: this is the
fastest formulation Debian's torch offers a user, next to the DeepXDE-style
one.

Debian's python3-torch is 1.13, which has the transforms as the `functorch`
package (torch.func appeared in 2.0); both are tried.

  /usr/bin/python3 benchmarks/peers/pinn_step_func.py --case poisson_mlp_64x4
  /usr/bin/python3 benchmarks/peers/pinn_step_func.py --self-test

--self-test checks, on small float64 cases, that the loss and its gradient
equal the nested-autograd peer's to 1e-10, for every case.
"""
import argparse
import json
import math
import sys

import pinn_step as nested  # exits with the install hint when torch is missing
import torch

try:  # torch >= 2.0
    from torch.func import jacfwd, jacrev, jvp, vmap
    TRANSFORMS = "torch.func"
except ImportError:  # torch 1.13 (Debian bookworm)
    try:
        from functorch import jacfwd, jacrev, jvp, vmap
        TRANSFORMS = "functorch"
    except ImportError:
        sys.exit("pinn_step_func.py: neither torch.func nor functorch is importable in torch " + torch.__version__)


def point_derivatives(net, x, mode, x_only=False):
    """u, grad u and the Hessian of u at every row of x: (N,), (N, d), (N, d, d).

    One nested transform gives all three (has_aux carries the lower orders
    out), so the network runs once per point and order, as a user would
    write it. mode "fwdrev": Hessian = jacfwd of the reverse-mode gradient
    (torch.func.hessian's own choice); "fwdfwd": jacfwd of jacfwd, which can
    win with two inputs since forward mode costs one pass per input."""

    def u_of(p):
        # the per-point function: the networks (and efficient-kan's reshape)
        # expect a batch, so one point is a batch of one
        u = net(p.unsqueeze(0)).reshape(())
        return u, u

    inner = jacrev if mode == "fwdrev" else jacfwd

    def first(p):
        du, u = inner(u_of, has_aux=True)(p)
        return du, (du, u)

    def second(p):
        hess, (du, u) = jacfwd(first, has_aux=True)(p)
        return u, du, hess

    def second_x(p):
        # only d(grad u)/dx: one forward tangent instead of d (Burgers needs u_xx, not u_tt)
        (du, u), (ddu, _) = jvp(lambda q: inner(u_of, has_aux=True)(q), (p,), (torch.eye(p.numel(), dtype=p.dtype)[0],))
        return u, du, ddu

    return vmap(second_x if x_only else second)(x)


def loss_of(problem, net, pts, mode):
    """The loss of pinn_step.loss_of, its derivatives by point_derivatives."""
    x = pts["pde"]
    u, du, hess = point_derivatives(net, x, mode, x_only=problem == "burgers1d")
    u = u.unsqueeze(1)  # (N, 1), as pinn_step.py's u
    if problem == "poisson2d":
        source = 2 * math.pi ** 2 * torch.sin(math.pi * x[:, 0:1]) * torch.sin(math.pi * x[:, 1:2])
        r = -(hess[:, 0, 0:1] + hess[:, 1, 1:2]) - source
        b = pts["boundary"]
        g = torch.sin(math.pi * b[:, 0:1]) * torch.sin(math.pi * b[:, 1:2])
        return (r ** 2).mean() + ((net(b) - g) ** 2).mean()
    u_x, u_t, u_xx = du[:, 0:1], du[:, 1:2], hess[:, 0:1]  # hess: d(grad u)/dx here
    r = u_t + u * u_x - nested.NU * u_xx
    s = pts["initial"]
    return ((r ** 2).mean() + (net(pts["boundary"]) ** 2).mean()
            + ((net(s) + torch.sin(math.pi * s[:, 0:1])) ** 2).mean())


def build(case, n_int, n_bnd, n_ini, dtype, seed=1):
    torch.manual_seed(seed)
    problem, (kind, hidden), c_int, c_bnd, c_ini = nested.CASES[case]
    box = nested.DOMAINS[problem]
    net = nested.Scaled(nested.make_net(kind, hidden, len(box), dtype), box, dtype)
    pts = nested.make_points(problem, c_int if n_int is None else n_int, c_bnd if n_bnd is None else n_bnd,
                             c_ini if n_ini is None else n_ini, dtype)
    return problem, net, pts


def self_test(modes):
    """Loss and parameter gradient of both formulations on small float64
    cases (same seed: same network and points): they must agree to 1e-10."""
    worst = 0.0
    for case in sorted(nested.CASES):
        problem, net, pts = build(case, 64, 16, 16, torch.float64)
        net.zero_grad()
        ref = nested.loss_of(problem, net, pts)
        ref.backward()
        ref_grad = [p.grad.clone() for p in net.parameters()]
        for mode in modes:
            net.zero_grad()
            loss = loss_of(problem, net, pts, mode)
            loss.backward()
            scale = max(1.0, abs(float(ref)))
            err = abs(float(loss - ref)) / scale
            gscale = max(1.0, max(float(g.abs().max()) for g in ref_grad))
            gerr = max(float((p.grad - g).abs().max()) for p, g in zip(net.parameters(), ref_grad)) / gscale
            worst = max(worst, err, gerr)
            print("%-18s %s: loss %.15g, |loss - nested| %.1e, max |grad - nested| %.1e (relative)" % (
                case, mode, float(loss), err, gerr))
    ok = worst <= 1e-10
    print("self-test %s: worst relative difference %.1e (limit 1e-10), %s %s" % (
        "passed" if ok else "FAILED", worst, TRANSFORMS, torch.__version__))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", choices=sorted(nested.CASES))
    ap.add_argument("--mode", choices=["fwdrev", "fwdfwd"], default="fwdrev",
                    help="how the Hessian is formed (see point_derivatives)")
    ap.add_argument("--self-test", action="store_true", help="check against pinn_step.py and exit")
    ap.add_argument("--interior", type=int, help="default: the case's count")
    ap.add_argument("--boundary", type=int)
    ap.add_argument("--initial", type=int)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--repeats", type=int, default=3, help="timed blocks; the best block counts")
    ap.add_argument("--min-block-s", type=float, default=0.5, help="shortest timed block (steps are added)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    if args.self_test:
        sys.exit(0 if self_test(["fwdrev", "fwdfwd"]) else 1)
    if not args.case:
        ap.error("--case is required (or --self-test)")

    dtype = getattr(torch, args.dtype)
    problem, net, pts = build(args.case, args.interior, args.boundary, args.initial, dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_of(problem, net, pts, args.mode)
        loss.backward()
        opt.step()
        return loss

    # pinn_step.py's timing protocol, so the two peers are timed alike
    best, steps, loss = nested.time_steps(step, args.min_block_s, args.repeats)
    if not math.isfinite(float(loss)):
        sys.exit("pinn_step_func.py: the loss is not finite")
    gemm_gflop = nested.matmul_gflop(step)
    print(json.dumps({
        "case": args.case, "ms_per_step": best * 1e3, "threads": torch.get_num_threads(),
        "dtype": args.dtype, "points": sum(len(p) for p in pts.values()),
        "params": sum(p.numel() for p in net.parameters()), "steps_per_block": steps,
        "torch": torch.__version__, "blas": nested.blas_info(), "gemm_gflop": gemm_gflop,
        "transforms": TRANSFORMS, "mode": args.mode,
    }))


if __name__ == "__main__":
    main()
