"""PyTorch peer of a whole pinnkit run: the quickstart recipe
(experiments/quickstart.yaml: 2-D Poisson, a tanh MLP, Adam with an
exponential schedule, then L-BFGS) trained with torch.optim.Adam and
torch.optim.LBFGS(line_search_fn="strong_wolfe"), written the way
DeepXDE-style PyTorch code writes a PINN (derivatives by nested
torch.autograd.grad with create_graph=True).

Same problem as the pinnkit run it is compared with, not a lookalike: it
reads from pinnkit's own files
  --init INIT.h5    a pinnkit result with a checkpoint taken before any
                    parameter moved (benchmarks/compare.py --whole-run
                    makes it): the collocation points of every loss term
                    (/checkpoint/objective.points.<k>) and the initial
                    network (/model/blocks);
  --recipe RUN.h5   the pinnkit run: its resolved config (/config: loss
                    weights, the stages, evaluation.every) and its
                    evaluation grid with the reference (/eval/points,
                    /eval/u_ref).
so both sides train from the same weights on the same points and are
scored on the same grid; the initial loss is printed to check it.

L-BFGS settings mapped from pinnkit's lbfgs stage: history_size = history,
max_iter = steps, tolerance_grad = tolerance (both on max |grad|),
max_eval large enough never to bind (pinnkit has no cap on a stage's
evaluations, 25 per line search in both), tolerance_change 1e-15 (pinnkit
stops on a relative loss change below 1e-12; torch's test is absolute),
lr = 1 (torch starts every line search at lr, pinnkit at 1 once it has
curvature pairs; pinnkit's lr only scales its first steepest-descent step).
The grid error is evaluated every evaluation.every steps (Adam steps, then
L-BFGS iterations), as pinnkit does, and inside the timed run as in pinnkit.
To stop there, LBFGS.step runs at most that many iterations per call; a
call's first closure is then the point the previous call ended at, which
the closure answers from a cache, so splitting neither adds evaluations nor
changes the iterates.

Prints one JSON object (the history rows: step, stage, evals, time_s, loss,
rel_l2). --pinnkit-history RUN.h5 instead prints the same rows of a pinnkit
result (compare.py itself needs only the standard library).

  /usr/bin/python3 benchmarks/peers/quickstart_torch.py --init INIT.h5 --recipe RUN.h5 --threads 1
"""
import argparse
import json
import math
import sys
import time

import h5py
import yaml

from pinn_step import blas_info, derivative  # exits with the install hint when torch is missing
import torch


def pinnkit_history(path):
    """History rows and metrics of a pinnkit result file, as this script prints its own."""
    with h5py.File(path, "r") as f:
        h = {k: f["history"][k][:].tolist() for k in ("step", "stage", "evals", "time_s", "loss", "rel_l2")}
        metrics = {k: float(v) for k, v in f["metrics"].attrs.items()}
    rows = [dict(zip(h, values)) for values in zip(*h.values())]
    return {"rows": rows, "metrics": metrics}


def read_problem(init, recipe, dtype):
    with h5py.File(recipe, "r") as f:
        config = yaml.safe_load(f["config"][()].decode())
        grid = torch.tensor(f["eval/points"][:], dtype=dtype)
        u_ref = torch.tensor(f["eval/u_ref"][:], dtype=dtype).reshape(-1, 1)
    with h5py.File(init, "r") as f:
        points = [torch.tensor(f["checkpoint/objective.points.%d" % k][:], dtype=dtype).reshape(-1, 2)
                  for k in range(2)]
        blocks = {k: torch.tensor(v[:], dtype=dtype) for k, v in f["model/blocks"].items()}
    problem, model = config["problem"], config["model"]
    if (problem["pde"] != "poisson2d" or model["type"] != "mlp" or model["activation"] != "tanh"
            or model["fourier"]["count"] or model["hard_constraint"]):
        sys.exit("quickstart_torch.py: the recipe is not the quickstart's (poisson2d, a plain tanh MLP)")
    return config, points, blocks, grid, u_ref


def make_net(hidden, blocks, dtype):
    """The tanh MLP with pinnkit's initial weights (dense<i>.weight is out x in, as torch's).
    Inputs on [-1, 1]^2 need no input scaling (pinnkit's normalize_inputs maps the box to itself)."""
    widths = [2] + hidden + [1]
    layers = []
    for i, (a, b) in enumerate(zip(widths[:-1], widths[1:])):
        lin = torch.nn.Linear(a, b, dtype=dtype)
        with torch.no_grad():
            lin.weight.copy_(blocks["dense%d.weight" % i])
            lin.bias.copy_(blocks["dense%d.bias" % i])
        layers.append(lin)
        if i + 2 < len(widths):
            layers.append(torch.nn.Tanh())
    return torch.nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--init", help="pinnkit result holding the points and the initial network (see above)")
    ap.add_argument("--recipe", help="the pinnkit run to repeat (its config, grid and reference)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--pinnkit-history", metavar="RUN.h5", help="print this pinnkit result's rows and exit")
    args = ap.parse_args()
    if args.pinnkit_history:
        print(json.dumps(pinnkit_history(args.pinnkit_history)))
        return
    if not args.init or not args.recipe:
        ap.error("--init and --recipe are needed")

    torch.set_num_threads(args.threads)
    dtype = torch.float64
    config, (interior, boundary), blocks, grid, u_ref = read_problem(args.init, args.recipe, dtype)
    weights = config["loss"]["weights"]
    w_pde, w_bnd = float(weights["pde"]), float(weights["boundary"])
    every = int(config["evaluation"]["every"])  # 0: only the final evaluation

    def due(step):
        return every > 0 and step % every == 0
    stages = config["training"]
    if [s["optimizer"] for s in stages] != ["adam", "lbfgs"]:
        sys.exit("quickstart_torch.py: expected the stages adam, lbfgs")
    adam, lbfgs = stages
    net = make_net(config["model"]["hidden"], blocks, dtype)
    params = list(net.parameters())

    a_pi = float(config["problem"]["params"]["a"]) * math.pi
    x_int = interior.detach().requires_grad_(True)
    source = 2 * a_pi ** 2 * torch.sin(a_pi * interior[:, 0:1]) * torch.sin(a_pi * interior[:, 1:2])
    g_bnd = torch.sin(a_pi * boundary[:, 0:1]) * torch.sin(a_pi * boundary[:, 1:2])
    u_ref_norm = float(torch.linalg.norm(u_ref))

    def loss_fn():
        u = net(x_int)
        du = derivative(u, x_int)
        u_xx = derivative(du[:, 0:1], x_int)[:, 0:1]
        u_yy = derivative(du[:, 1:2], x_int)[:, 1:2]
        r = -(u_xx + u_yy) - source
        return w_pde * (r ** 2).mean() + w_bnd * ((net(boundary) - g_bnd) ** 2).mean()

    def rel_l2():
        with torch.no_grad():
            return float(torch.linalg.norm(net(grid) - u_ref)) / u_ref_norm

    count = {"evals": 0}
    rows = []
    cpu0 = time.process_time()
    t0 = time.perf_counter()

    def record(step, stage, loss, evaluate):
        rows.append({"step": step, "stage": stage, "evals": count["evals"], "loss": loss,
                     "rel_l2": rel_l2() if evaluate else float("nan"), "time_s": time.perf_counter() - t0})

    # Adam with pinnkit's exponential schedule: lr decay^(k / every) at step k of the stage.
    sched = adam.get("schedule", {"type": "constant"})
    if sched["type"] not in ("constant", "exponential"):
        sys.exit("quickstart_torch.py: schedule %s is not mapped" % sched["type"])
    lr0 = float(adam["lr"])
    opt = torch.optim.Adam(params, lr=lr0, betas=tuple(float(b) for b in adam["betas"]), eps=float(adam["eps"]))
    step = 0
    for k in range(adam["steps"]):
        for group in opt.param_groups:
            group["lr"] = lr0 * (float(sched["decay"]) ** (k / float(sched["every"])) if sched["type"] == "exponential"
                                 else 1.0)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        count["evals"] += 1
        if due(step):
            record(step, 0, float(loss), True)
        opt.step()
        step += 1

    # L-BFGS. The closure remembers the last evaluations by their exact
    # parameters: LBFGS.step starts with closure() at the point the previous
    # call (or the stage start below) evaluated already.
    cache = []

    def flat_params():
        return torch.cat([p.detach().reshape(-1) for p in params])

    def closure():
        x = flat_params()
        for cx, cl, cg in cache:
            if torch.equal(cx, x):
                for p, g in zip(params, cg):
                    p.grad = g.clone()
                return cl
        opt_l.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        count["evals"] += 1
        cache.append((x, loss.detach(), [p.grad.detach().clone() for p in params]))
        del cache[:-30]
        return loss

    opt_l = torch.optim.LBFGS(params, lr=1.0, max_iter=lbfgs["steps"], max_eval=25 * lbfgs["steps"] + 1,
                              tolerance_grad=float(lbfgs["tolerance"]), tolerance_change=1e-15,
                              history_size=lbfgs["history"], line_search_fn="strong_wolfe")
    first_loss = float(closure())  # the stage's starting point, as pinnkit evaluates it before its first iteration
    record(step, 1, first_loss, due(step))
    done = 0
    while done < lbfgs["steps"]:
        chunk = min(every - step % every if every > 0 else lbfgs["steps"], lbfgs["steps"] - done)
        opt_l.param_groups[0]["max_iter"] = chunk
        before = opt_l.state[opt_l._params[0]].get("n_iter", 0)
        loss = float(opt_l.step(closure))
        taken = opt_l.state[opt_l._params[0]]["n_iter"] - before
        done += taken
        step += taken
        stopped = taken < chunk
        loss = float(closure())  # the accepted point: from the cache
        if not stopped:
            record(step, 1, loss, due(step))
        else:
            break
    train_time = time.perf_counter() - t0
    train_cpu = time.process_time() - cpu0
    record(step, 1, float(closure()), True)  # the final row, as pinnkit's
    print(json.dumps({
        "rows": rows, "train_time_s": train_time, "train_cpu_s": train_cpu, "evaluations": count["evals"],
        "steps": step, "lbfgs_iterations": done, "rel_l2": rows[-1]["rel_l2"], "initial_loss": rows[0]["loss"],
        "threads": torch.get_num_threads(), "torch": torch.__version__, "blas": blas_info(),
        "points": len(interior) + len(boundary), "params": sum(p.numel() for p in params),
    }))


if __name__ == "__main__":
    main()
