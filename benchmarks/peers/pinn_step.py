"""PyTorch peer of bench_step: one PINN training step written the way
DeepXDE-style PyTorch code writes it (derivatives by nested
torch.autograd.grad with create_graph=True, loss.backward(), Adam), for the
cases of benchmarks/step_case.hpp with the same networks and point counts.

Prints one JSON object: best-of-repeats milliseconds per step and what ran.
Run with a Python that has torch (Debian: /usr/bin/python3 with
python3-torch); benchmarks/compare.py runs it next to bench_step.
"""
import argparse
import json
import math
import sys
import time

try:
    import torch
except ImportError:
    sys.exit("pinn_step.py: PyTorch is missing for " + sys.executable +
             ": install it with `apt-get install python3-torch` (Debian) and run with /usr/bin/python3")

from efficient_kan import KAN

# name: (problem, network, interior, boundary, initial); as step_case.cpp
CASES = {
    "poisson_mlp_64x4": ("poisson2d", ("mlp", [64, 64, 64, 64]), 8192, 512, 0),
    "poisson_mlp_50x3": ("poisson2d", ("mlp", [50, 50, 50]), 1200, 120, 0),
    "poisson_kan_32x32": ("poisson2d", ("kan", [32, 32]), 4096, 256, 0),
    "burgers_mlp_100x5": ("burgers1d", ("mlp", [100] * 5), 8192, 512, 512),
}
# inputs and their intervals; inputs are mapped to [-1, 1] like pinnkit's input scaling
DOMAINS = {"poisson2d": [(-1.0, 1.0), (-1.0, 1.0)], "burgers1d": [(-1.0, 1.0), (0.0, 1.0)]}
NU = 0.01 / math.pi


class Scaled(torch.nn.Module):
    """The network after an affine map of the domain box to [-1, 1]."""

    def __init__(self, net, box, dtype):
        super().__init__()
        self.net = net
        self.register_buffer("lo", torch.tensor([a for a, _ in box], dtype=dtype))
        self.register_buffer("hi", torch.tensor([b for _, b in box], dtype=dtype))

    def forward(self, x):
        return self.net(2 * (x - self.lo) / (self.hi - self.lo) - 1)


def make_net(kind, hidden, dim, dtype):
    if kind == "kan":
        return KAN([dim] + hidden + [1], grid_size=10, spline_order=3, dtype=dtype)
    widths = [dim] + hidden + [1]
    layers = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        layers.append(torch.nn.Linear(a, b, dtype=dtype))
        if i + 2 < len(widths):
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def box_boundary(n, box, dtype):
    """n points on the faces of the box, the face chosen uniformly."""
    d = len(box)
    lo = torch.tensor([a for a, _ in box], dtype=dtype)
    hi = torch.tensor([b for _, b in box], dtype=dtype)
    x = lo + torch.rand(n, d, dtype=dtype) * (hi - lo)
    face = torch.randint(0, 2 * d, (n,))
    for f in range(2 * d):
        rows = face == f
        x[rows, f // 2] = lo[f // 2] if f % 2 == 0 else hi[f // 2]
    return x


def make_points(problem, interior, boundary, initial, dtype):
    box = DOMAINS[problem]
    lo = torch.tensor([a for a, _ in box], dtype=dtype)
    hi = torch.tensor([b for _, b in box], dtype=dtype)
    pts = {"pde": lo + torch.rand(interior, len(box), dtype=dtype) * (hi - lo)}
    if problem == "poisson2d":
        pts["boundary"] = box_boundary(boundary, box, dtype)
    else:  # x walls at x = +-1 for t in [0, 1], initial line t = 0
        walls = torch.rand(boundary, 2, dtype=dtype)
        walls[:, 0] = torch.where(walls[:, 0] < 0.5, -1.0, 1.0)
        pts["boundary"] = walls
        start = torch.rand(initial, 2, dtype=dtype) * 2 - 1
        start[:, 1] = 0
        pts["initial"] = start
    return pts


def derivative(y, x):
    """dy/dx for every input, keeping the graph for the next derivative."""
    return torch.autograd.grad(y, x, torch.ones_like(y), create_graph=True)[0]


def loss_of(problem, net, pts):
    x = pts["pde"].detach().requires_grad_(True)
    u = net(x)
    du = derivative(u, x)
    if problem == "poisson2d":
        u_xx = derivative(du[:, 0:1], x)[:, 0:1]
        u_yy = derivative(du[:, 1:2], x)[:, 1:2]
        source = 2 * math.pi ** 2 * torch.sin(math.pi * x[:, 0:1]) * torch.sin(math.pi * x[:, 1:2])
        r = -(u_xx + u_yy) - source
        b = pts["boundary"]
        g = torch.sin(math.pi * b[:, 0:1]) * torch.sin(math.pi * b[:, 1:2])
        return (r ** 2).mean() + ((net(b) - g) ** 2).mean()
    u_x, u_t = du[:, 0:1], du[:, 1:2]
    u_xx = derivative(u_x, x)[:, 0:1]
    r = u_t + u * u_x - NU * u_xx
    s = pts["initial"]
    return ((r ** 2).mean() + (net(pts["boundary"]) ** 2).mean()
            + ((net(s) + torch.sin(math.pi * s[:, 0:1])) ** 2).mean())


def blas_info():
    """BLAS_INFO of the torch build and, for "generic", the library behind
    the system's libblas.so.3 (Debian's alternatives pick reference BLAS or
    OpenBLAS: a 20x difference in gemm speed, so the table must say which)."""
    info = "unknown"
    for item in torch.__config__.show().replace(",", "\n").split("\n"):
        if "BLAS_INFO" in item and "LAPACK" not in item:
            info = item.split("=")[-1].strip()
    torch.ones(2, 2, dtype=torch.float64) @ torch.ones(2, 2, dtype=torch.float64)
    try:
        with open("/proc/self/maps") as maps:
            libs = sorted({line.split()[-1] for line in maps if "blas" in line.split()[-1]})
    except OSError:
        libs = []
    return info + (" (" + ", ".join(libs) + ")" if libs else "")


def matmul_gflop(step):
    """Matrix-product GFLOP of one (untimed) step, counted by torch's profiler
    (aten::mm, addmm, bmm: what pinnkit's gemm_flops counts on its side)."""
    from torch.profiler import ProfilerActivity, profile
    with profile(activities=[ProfilerActivity.CPU], with_flops=True) as prof:
        step()
    return sum(e.flops for e in prof.key_averages() if e.key in ("aten::mm", "aten::addmm", "aten::bmm")) / 1e9


def time_steps(step, min_block_s, repeats):
    """The timing protocol both peers use: one untimed step (Adam's moments,
    the allocator), one to size a block of at least min_block_s, then the best
    of `repeats` blocks. Returns (seconds per step, steps per block, last loss)."""
    step()
    t0 = time.perf_counter()
    step()
    first = time.perf_counter() - t0
    steps = max(1, min(200, math.ceil(min_block_s / max(first, 1e-6))))
    best = math.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(steps):
            loss = step()
        best = min(best, (time.perf_counter() - t0) / steps)
    return best, steps, loss


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--case", required=True, choices=sorted(CASES))
    ap.add_argument("--interior", type=int, help="default: the case's count")
    ap.add_argument("--boundary", type=int)
    ap.add_argument("--initial", type=int)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--repeats", type=int, default=3, help="timed blocks; the best block counts")
    ap.add_argument("--min-block-s", type=float, default=0.5, help="shortest timed block (steps are added)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    dtype = getattr(torch, args.dtype)
    problem, (kind, hidden), n_int, n_bnd, n_ini = CASES[args.case]
    n_int = args.interior if args.interior is not None else n_int
    n_bnd = args.boundary if args.boundary is not None else n_bnd
    n_ini = args.initial if args.initial is not None else n_ini
    box = DOMAINS[problem]
    net = Scaled(make_net(kind, hidden, len(box), dtype), box, dtype)
    pts = make_points(problem, n_int, n_bnd, n_ini, dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_of(problem, net, pts)
        loss.backward()
        opt.step()
        return loss

    best, steps, loss = time_steps(step, args.min_block_s, args.repeats)
    if not math.isfinite(float(loss)):
        sys.exit("pinn_step.py: the loss is not finite")
    gemm_gflop = matmul_gflop(step)
    print(json.dumps({
        "case": args.case, "ms_per_step": best * 1e3, "threads": torch.get_num_threads(),
        "dtype": args.dtype, "points": sum(len(p) for p in pts.values()),
        "params": sum(p.numel() for p in net.parameters()), "steps_per_block": steps,
        "torch": torch.__version__, "blas": blas_info(), "gemm_gflop": gemm_gflop,
    }))


if __name__ == "__main__":
    main()
