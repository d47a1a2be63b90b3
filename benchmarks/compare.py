#!/usr/bin/python3
"""pinnkit's training step against its PyTorch peers, in one run.

For every case of benchmarks/step_case.hpp and every thread count, runs
bench_step (pinnkit) and the PyTorch peers (--peers): benchmarks/peers/
pinn_step.py (nested autograd, DeepXDE style) and pinn_step_func.py
(functorch/torch.func: vmap of jacfwd over jacrev, PyTorch's fastest
formulation), each case and side in its own process, back to back, and
prints markdown tables: best-of-k ms/step of each side, the speed-ups, the peak
memory of each process (max RSS from wait4), pinnkit's achieved gemm
GFLOP/s (counted FLOPs of the gemms, step_case.hpp) next to the large-gemm
rate (bench_gemm BM_LargeGemm, 2048^3) measured in the same run.
--sweep adds time per step against the number of points (1k..64k).

--whole-run compares whole runs instead of steps: the quickstart recipe
(--config, Adam then L-BFGS) trained by `pinnkit run` and by
benchmarks/peers/quickstart_torch.py (torch.optim.Adam, then
torch.optim.LBFGS with strong Wolfe) from the same initial network on the
same points, alternately, --repeats times per thread count: wall time and
ms per function evaluation of each stage, final relative L2 error on
pinnkit's evaluation grid, and the wall time each side takes to reach the
worse of the final errors.

  /usr/bin/python3 benchmarks/compare.py --build build [--build32 build-f32] [--sweep]
  /usr/bin/python3 benchmarks/compare.py --build build --whole-run --threads 1 --repeats 3

Only the standard library is needed here; the peer runs under --python
(default /usr/bin/python3, Debian's python3-torch).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = ["poisson_mlp_64x4", "poisson_mlp_50x3", "poisson_kan_32x32", "burgers_mlp_100x5"]
SWEEP_CASE = "poisson_mlp_64x4"
# name: (script, label in the tables)
PEERS = {"nested": ("pinn_step.py", "torch nested"), "func": ("pinn_step_func.py", "torch func")}
SWEEP_POINTS = [1024 * 2 ** i for i in range(7)]  # 1k..64k interior; boundary = interior / 16


def run_timed(cmd, env, log):
    """Runs cmd, returns (exit code, max RSS in MiB, wall s, CPU s (user + system)) of that process alone."""
    t0 = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024.0, time.perf_counter() - t0, usage.ru_utime + usage.ru_stime


def run_measured(cmd, env, log):
    """Runs cmd, returns (exit code, max RSS in MiB of that process alone)."""
    return run_timed(cmd, env, log)[:2]


def fail(what, log):
    with open(log) as f:
        sys.exit("compare.py: %s failed:\n%s" % (what, f.read()[-3000:]))


def thread_env(threads):
    env = dict(os.environ)
    env.update(OMP_NUM_THREADS=str(threads), OMP_PROC_BIND="false")
    return env


def google_benchmark(binary, regex, threads, args, tmp):
    """Best (smallest real time) repetition of every benchmark matching regex:
    {name: (ms, counters)}, and the process' max RSS in MiB."""
    out, log = os.path.join(tmp, "gb.json"), os.path.join(tmp, "gb.log")
    cmd = [binary, "--benchmark_filter=" + regex, "--benchmark_repetitions=%d" % args.repeats,
           "--benchmark_min_time=%g" % args.min_time, "--benchmark_out=" + out,
           "--benchmark_out_format=json"]
    rc, rss = run_measured(cmd, thread_env(threads), log)
    if rc != 0:
        fail(" ".join(cmd), log)
    with open(out) as f:
        runs = json.load(f)["benchmarks"]
    best = {}
    for r in runs:
        if r.get("run_type") != "iteration" or r.get("error_occurred"):
            continue
        name = r.get("run_name", r["name"])
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[r["time_unit"]]
        ms = r["real_time"] * scale
        if name not in best or ms < best[name][0]:
            best[name] = (ms, r)
    if not best:
        sys.exit("compare.py: no benchmark of %s matched %s" % (binary, regex))
    return best, rss


def ours(build, case, threads, args, tmp, group="step", interior=None):
    regex = "^%s/%s/" % (group, case) + ("interior:%d/" % interior if interior else "")
    best, rss = google_benchmark(os.path.join(build, "benchmarks", "bench_step"), regex, threads, args, tmp)
    (ms, run), = best.values()
    return {"ms": ms, "rss": rss, "gflops": run["gemm_flops"] / 1e9, "points": int(run["points"])}


def large_gemm(build, threads, args, tmp):
    best, _ = google_benchmark(os.path.join(build, "benchmarks", "bench_gemm"), "^BM_LargeGemm/2048/", threads,
                               args, tmp)
    return max(run["flops"] for _, run in best.values()) / 1e9


def peer(case, threads, dtype, args, tmp, interior=None, which="nested"):
    log = os.path.join(tmp, "peer.log")
    cmd = [args.python, os.path.join(HERE, "peers", PEERS[which][0]), "--case", case, "--threads",
           str(threads), "--dtype", dtype, "--repeats", str(args.repeats), "--min-block-s", str(args.min_time)]
    if interior:
        cmd += ["--interior", str(interior), "--boundary", str(interior // 16)]
    rc, rss = run_measured(cmd, thread_env(threads), log)
    if rc != 0:
        fail(" ".join(cmd), log)
    with open(log) as f:
        result = json.loads(f.read().strip().splitlines()[-1])
    result["rss"] = rss
    return result


def check_torch(python):
    probe = subprocess.run([python, "-c", "import torch"], capture_output=True)
    if probe.returncode != 0:
        sys.exit("compare.py: PyTorch is not importable by %s. The peers need it: install it with\n"
                 "  apt-get install python3-torch\n(Debian's package is for /usr/bin/python3; "
                 "pass --python for another interpreter)." % python)


def compare_cases(build, dtype, args, tmp):
    rows = []
    for threads in args.threads:
        gemm = large_gemm(build, threads, args, tmp)
        for case in args.cases:
            a = ours(build, case, threads, args, tmp)
            # every peer right after pinnkit, so all sides of a row see the same machine load
            peers = {w: peer(case, threads, dtype, args, tmp, which=w) for w in args.peers}
            rows.append(dict(case=case, dtype=dtype, threads=threads, points=a["points"], ours=a, peers=peers,
                             peer=peers[args.peers[0]], gemm=gemm))
            print("  %-18s %s %d thr: pinnkit %.2f ms, %s" % (case, dtype, threads, a["ms"], ", ".join(
                "%s %.1f ms" % (PEERS[w][1], b["ms_per_step"]) for w, b in peers.items())), file=sys.stderr)
    return rows


def sweep(build, args, tmp):
    rows = []
    for threads in args.threads:
        for n in SWEEP_POINTS:
            a = ours(build, SWEEP_CASE, threads, args, tmp, group="sweep", interior=n)
            b = (peer(SWEEP_CASE, threads, "float64", args, tmp, interior=n, which=args.peers[0])
                 if not args.sweep_ours_only else None)
            rows.append(dict(interior=n, threads=threads, points=a["points"], ours=a, peer=b))
            print("  sweep %6d points %d thr: pinnkit %.2f ms" % (a["points"], threads, a["ms"]), file=sys.stderr)
    return rows


def case_table(rows, peers):
    """One row per case and thread count; per peer its ms/step, the speed-up
    over it (peer ms / pinnkit ms) and its peak memory."""
    head = ["case", "dtype", "points", "threads", "pinnkit ms/step"]
    for w in peers:
        head += ["%s ms/step" % PEERS[w][1], "speed-up vs %s" % PEERS[w][1]]
    head += ["pinnkit peak MiB"] + ["%s peak MiB" % PEERS[w][1] for w in peers]
    head += ["pinnkit gemm GFLOP/s", "large gemm GFLOP/s", "% of gemm"]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for r in rows:
        a = r["ours"]
        cells = [r["case"], r["dtype"], "%d" % r["points"], "%d" % r["threads"], "%.2f" % a["ms"]]
        for w in peers:
            b = r["peers"][w]
            cells += ["%.1f" % b["ms_per_step"], "%.1fx" % (b["ms_per_step"] / a["ms"])]
        cells += ["%.0f" % a["rss"]] + ["%.0f" % r["peers"][w]["rss"] for w in peers]
        cells += ["%.1f" % a["gflops"], "%.1f" % r["gemm"], "%.0f%%" % (100 * a["gflops"] / r["gemm"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def best_per_case(rows, which):
    """(case, dtype, rows of that case, pinnkit's fastest row, peer which's fastest row) per case."""
    keys = []
    for r in rows:
        if (r["case"], r["dtype"]) not in keys:
            keys.append((r["case"], r["dtype"]))
    for case, dtype in keys:
        sel = [r for r in rows if r["case"] == case and r["dtype"] == dtype]
        yield (case, dtype, sel, min(sel, key=lambda r: r["ours"]["ms"]),
               min(sel, key=lambda r: r["peers"][which]["ms_per_step"]))


def best_table(rows, peers):
    """Each side at its own best thread count; the last column is the
    speed-up over the fastest peer, the one a user choosing would compare with."""
    head = ["case", "dtype", "pinnkit best ms/step (threads)"]
    for w in peers:
        head += ["%s best ms/step (threads)" % PEERS[w][1], "speed-up vs %s" % PEERS[w][1]]
    if len(peers) > 1:
        head.append("speed-up vs the fastest torch")
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for i, (case, dtype, _, a, _) in enumerate(best_per_case(rows, peers[0])):
        cells = [case, dtype, "%.2f (%d)" % (a["ours"]["ms"], a["threads"])]
        fastest = float("inf")
        for w in peers:
            b = list(best_per_case(rows, w))[i][4]["peers"][w]
            fastest = min(fastest, b["ms_per_step"])
            cells += ["%.1f (%d)" % (b["ms_per_step"], b["threads"]), "%.1fx" % (b["ms_per_step"] / a["ours"]["ms"])]
        if len(peers) > 1:
            cells.append("%.1fx" % (fastest / a["ours"]["ms"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def work_table(rows, which):
    """What bounds the speed-up: each side's matrix-product work per step, and
    pinnkit's step at the large-gemm rate of its best thread count (no
    elementwise work at all) against the peer's best step."""
    lines = ["| case | dtype | pinnkit gemm GFLOP/step | torch gemm GFLOP/step | torch / pinnkit work | "
             "pinnkit gemm-only floor ms (threads) | torch best ms | speed-up bound | speed-up reached |",
             "|---|---|---|---|---|---|---|---|---|"]
    for case, dtype, sel, a, b in best_per_case(rows, which):
        b = dict(b, peer=b["peers"][which])
        ours_gflop = a["ours"]["gflops"] * a["ours"]["ms"] / 1e3
        fastest = max(sel, key=lambda r: r["gemm"])
        floor = 1e3 * ours_gflop / fastest["gemm"]
        torch_gflop = b["peer"].get("gemm_gflop", float("nan"))
        lines.append("| %s | %s | %.3f | %.3f | %.2f | %.2f (%d) | %.1f | %.1fx | %.1fx |" % (
            case, dtype, ours_gflop, torch_gflop, torch_gflop / ours_gflop, floor, fastest["threads"],
            b["peer"]["ms_per_step"], b["peer"]["ms_per_step"] / floor, b["peer"]["ms_per_step"] / a["ours"]["ms"]))
    return "\n".join(lines)


def sweep_table(rows, threads):
    scaling = len(threads) > 1  # the thread-scaling column needs two thread counts
    head = ["interior + boundary points"]
    for t in threads:
        head += ["pinnkit ms (%d thr)" % t, "torch ms (%d thr)" % t]
    head.append("pinnkit us/point (%d thr)" % threads[0])
    if scaling:
        head.append("pinnkit speed-up %d->%d thr" % (threads[0], threads[-1]))
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for n in SWEEP_POINTS:
        sel = {r["threads"]: r for r in rows if r["interior"] == n}
        first = sel[threads[0]]
        cells = ["%d" % first["points"]]
        for t in threads:
            cells.append("%.2f" % sel[t]["ours"]["ms"])
            cells.append("%.1f" % sel[t]["peer"]["ms_per_step"] if sel[t]["peer"] else "-")
        cells.append("%.2f" % (1e3 * first["ours"]["ms"] / first["points"]))
        if scaling:
            cells.append("%.2fx" % (first["ours"]["ms"] / sel[threads[-1]]["ours"]["ms"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


WHOLE_PEER = "quickstart_torch.py"


def pinnkit_rows(python, result, tmp):
    """History rows and metrics of a pinnkit result (read by the peer script, which has h5py)."""
    log = os.path.join(tmp, "rows.json")
    cmd = [python, os.path.join(HERE, "peers", WHOLE_PEER), "--pinnkit-history", result]
    rc, _ = run_measured(cmd, dict(os.environ), log)
    if rc != 0:
        fail(" ".join(cmd), log)
    with open(log) as f:
        return json.loads(f.read())


def whole_summary(rows, wall, cpu, rss, evaluations):
    """Per stage wall time and function evaluations from history rows
    (step, stage, evals, time_s, loss, rel_l2): the Adam stage ends at the
    first row of stage 1 (the L-BFGS start, evaluated once, counts to Adam's
    side on both), the run at its final row."""
    start = next(r for r in rows if r["stage"] == 1)
    end = rows[-1]
    curve = [(r["time_s"], r["rel_l2"]) for r in rows if r["rel_l2"] == r["rel_l2"]]  # evaluated rows
    return {"adam_s": start["time_s"], "adam_evals": start["evals"],
            "lbfgs_s": end["time_s"] - start["time_s"], "lbfgs_evals": end["evals"] - start["evals"],
            "lbfgs_iterations": end["step"] - start["step"], "train_s": end["time_s"],
            "evaluations": evaluations, "wall_s": wall, "cpu_s": cpu, "rss": rss, "rel_l2": end["rel_l2"],
            "curve": curve}


def time_to(curve, target):
    """First time the evaluated error is at most target (inf when never)."""
    return next((t for t, e in curve if e <= target), float("inf"))


def whole_runs(args, tmp):
    binary = os.path.join(args.build, "pinnkit")
    init = os.path.join(tmp, "init.h5")
    sets = []
    for kv in args.set:
        sets += ["--set", kv]
    # The initial network and the points: a run whose one Adam step moves
    # nothing (lr 1e-300) with a checkpoint after it.
    cmd = [binary, "run", args.config, "-o", init, "--quiet", "--threads", "1"] + sets + [
        "--set", "training=[{optimizer: adam, lr: 1.0e-300, steps: 1}]", "--set", "output.checkpoint_every=1",
        "--set", "evaluation.every=0"]
    log = os.path.join(tmp, "init.log")
    if run_measured(cmd, thread_env(1), log)[0] != 0:
        fail(" ".join(cmd), log)
    runs = []
    for threads in args.threads:
        for rep in range(args.repeats):
            # pinnkit, then the peer right after it on its result (same machine load)
            result = os.path.join(tmp, "run.h5")
            cmd = [binary, "run", args.config, "-o", result, "--quiet", "--threads", str(threads)] + sets + [
                "--set", "evaluation.every=%d" % args.eval_every]
            log = os.path.join(tmp, "run.log")
            rc, rss, wall, cpu = run_timed(cmd, thread_env(threads), log)
            if rc != 0:
                fail(" ".join(cmd), log)
            got = pinnkit_rows(args.python, result, tmp)
            a = whole_summary(got["rows"], wall, cpu, rss, got["metrics"]["evaluations"])
            a["initial_loss"] = got["rows"][0]["loss"]
            cmd = [args.python, os.path.join(HERE, "peers", WHOLE_PEER), "--init", init, "--recipe", result,
                   "--threads", str(threads)]
            log = os.path.join(tmp, "peer.log")
            rc, rss, wall, cpu = run_timed(cmd, thread_env(threads), log)
            if rc != 0:
                fail(" ".join(cmd), log)
            with open(log) as f:
                got = json.loads(f.read().strip().splitlines()[-1])
            b = whole_summary(got["rows"], wall, cpu, rss, got["evaluations"])
            b.update(initial_loss=got["initial_loss"], torch=got["torch"], blas=got["blas"],
                     train_cpu_s=got["train_cpu_s"])
            # Same weights, points and loss: the first losses agree to rounding.
            if abs(a["initial_loss"] - b["initial_loss"]) > 1e-10 * abs(a["initial_loss"]):
                sys.exit("compare.py: the initial losses differ (pinnkit %.17g, torch %.17g): not the same problem"
                         % (a["initial_loss"], b["initial_loss"]))
            runs.append({"threads": threads, "rep": rep + 1, "pinnkit": a, "torch": b})
            if args.json:  # after every pair: a long session that is stopped keeps what it measured
                with open(args.json, "w") as f:
                    json.dump({"whole_runs": runs}, f, indent=1)
            print("  whole run %d thr rep %d: pinnkit %.1f s (rel_l2 %.3g), torch %.1f s (rel_l2 %.3g)" % (
                threads, rep + 1, a["train_s"], a["rel_l2"], b["train_s"], b["rel_l2"]), file=sys.stderr)
    for threads in args.threads:
        sel = [r for r in runs if r["threads"] == threads]
        target = max(max(r["pinnkit"]["rel_l2"], r["torch"]["rel_l2"]) for r in sel)
        for r in sel:
            r["target"] = target
            for side in ("pinnkit", "torch"):
                r[side]["time_to_target_s"] = time_to(r[side]["curve"], target)
    return runs


def whole_run_table(runs):
    head = ["threads", "rep", "side", "Adam s", "Adam evals", "Adam ms/eval", "L-BFGS s", "L-BFGS iterations",
            "L-BFGS evals", "L-BFGS ms/eval", "train s", "process wall s", "process CPU s", "train CPU s",
            "peak MiB", "final rel_l2", "target rel_l2", "s to target"]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for r in runs:
        for side in ("pinnkit", "torch"):
            a = r[side]
            cells = ["%d" % r["threads"], "%d" % r["rep"], side, "%.1f" % a["adam_s"], "%d" % a["adam_evals"],
                     "%.2f" % (1e3 * a["adam_s"] / a["adam_evals"]), "%.1f" % a["lbfgs_s"],
                     "%d" % a["lbfgs_iterations"], "%d" % a["lbfgs_evals"],
                     "%.2f" % (1e3 * a["lbfgs_s"] / max(a["lbfgs_evals"], 1)), "%.1f" % a["train_s"],
                     "%.1f" % a["wall_s"], "%.1f" % a["cpu_s"],
                     "%.1f" % a["train_cpu_s"] if "train_cpu_s" in a else "-", "%.0f" % a["rss"],
                     "%.3g" % a["rel_l2"], "%.3g" % r["target"], "%.1f" % a["time_to_target_s"]]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def whole_run_summary(runs):
    """Median and range over the repeats of each side, and torch / pinnkit of the medians."""
    def stat(values):
        v = sorted(values)
        return v[len(v) // 2] if len(v) % 2 else 0.5 * (v[len(v) // 2 - 1] + v[len(v) // 2]), v[0], v[-1]

    keys = [("Adam ms/eval", lambda a: 1e3 * a["adam_s"] / a["adam_evals"]),
            ("L-BFGS ms/eval", lambda a: 1e3 * a["lbfgs_s"] / max(a["lbfgs_evals"], 1)),
            ("train s", lambda a: a["train_s"]), ("process CPU s", lambda a: a["cpu_s"]),
            ("s to target", lambda a: a["time_to_target_s"])]
    head = ["threads", "repeats"]
    for name, _ in keys:
        head += ["pinnkit " + name, "torch " + name, "torch / pinnkit"]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for threads in sorted({r["threads"] for r in runs}):
        sel = [r for r in runs if r["threads"] == threads]
        cells = ["%d" % threads, "%d" % len(sel)]
        for _, f in keys:
            m = [stat([f(r[side]) for r in sel]) for side in ("pinnkit", "torch")]
            cells += ["%.2f (%.2f-%.2f)" % m[0], "%.2f (%.2f-%.2f)" % m[1], "%.1fx" % (m[1][0] / m[0][0])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main_whole_run(args):
    if not os.access(os.path.join(args.build, "pinnkit"), os.X_OK):
        sys.exit("compare.py: %s/pinnkit is missing: build it with `cmake --build %s --target pinnkit`" % (
            args.build, args.build))
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    with tempfile.TemporaryDirectory() as tmp:
        runs = whole_runs(args, tmp)
    load = os.getloadavg()
    print("# Whole run: pinnkit vs PyTorch (%s, %s, %d CPUs, load average %.1f/%.1f/%.1f at the end)" % (
        started, platform.node(), os.cpu_count(), *load))
    print("config %s%s, evaluation every %d steps; torch %s, BLAS %s; peer benchmarks/peers/%s\n" % (
        args.config, "".join(" --set " + kv for kv in args.set), args.eval_every, runs[0]["torch"]["torch"],
        runs[0]["torch"]["blas"], WHOLE_PEER))
    print(whole_run_table(runs) + "\n\nMedian (range) over the repeats:\n\n" + whole_run_summary(runs))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"started": started, "host": platform.node(), "load_average": load, "whole_runs": runs}, f,
                      indent=1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build", help="pinnkit build dir (double precision)")
    ap.add_argument("--build32", help="a -DPINNKIT_SINGLE_PRECISION=ON build dir: adds float32 rows")
    ap.add_argument("--python", default="/usr/bin/python3", help="interpreter with torch for the peers")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--cases", nargs="+", default=CASES, choices=CASES)
    ap.add_argument("--peers", nargs="+", default=list(PEERS), choices=list(PEERS),
                    help="PyTorch formulations to run (the sweep uses the first)")
    ap.add_argument("--repeats", type=int, default=3, help="best of this many timed blocks per side")
    ap.add_argument("--min-time", type=float, default=0.5, help="seconds per timed block")
    ap.add_argument("--sweep", action="store_true", help="also time 1k..64k points (%s)" % SWEEP_CASE)
    ap.add_argument("--sweep-ours-only", action="store_true", help="the sweep without the peer")
    ap.add_argument("--json", help="write every measurement here (tools/plot_step_scaling.py reads it)")
    ap.add_argument("--whole-run", action="store_true", help="whole runs of --config instead of steps (see above)")
    ap.add_argument("--config", default=os.path.join(HERE, "..", "experiments", "quickstart.yaml"),
                    help="--whole-run: the recipe (Adam then L-BFGS on poisson2d with an MLP)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="--whole-run: a config override for both sides, as `pinnkit run --set`")
    ap.add_argument("--eval-every", type=int, default=50,
                    help="--whole-run: steps between error evaluations on both sides (the error against time)")
    args = ap.parse_args()
    check_torch(args.python)
    if args.whole_run:
        main_whole_run(args)
        return
    for build in [args.build] + ([args.build32] if args.build32 else []):
        for prog in ["bench_step", "bench_gemm"]:
            if not os.access(os.path.join(build, "benchmarks", prog), os.X_OK):
                sys.exit("compare.py: %s/benchmarks/%s is missing: build it with "
                         "`cmake --build %s --target %s`" % (build, prog, build, prog))

    started = time.strftime("%Y-%m-%d %H:%M:%S")
    with tempfile.TemporaryDirectory() as tmp:
        rows = compare_cases(args.build, "float64", args, tmp)
        if args.build32:
            rows += compare_cases(args.build32, "float32", args, tmp)
        sweep_rows = sweep(args.build, args, tmp) if args.sweep else []

    load = os.getloadavg()
    print("# pinnkit training step vs PyTorch (%s, %s, %d CPUs, load average %.1f/%.1f/%.1f at the end)" % (
        started, platform.node(), os.cpu_count(), *load))
    print("torch %s, BLAS %s; best of %d blocks of >= %g s per side\n" % (
        rows[0]["peer"]["torch"], rows[0]["peer"]["blas"], args.repeats, args.min_time))
    print("peers: " + ", ".join("%s = benchmarks/peers/%s" % (PEERS[w][1], PEERS[w][0]) for w in args.peers) + "\n")
    print(case_table(rows, args.peers) + "\n\nEach side at its best thread count:\n\n" + best_table(rows, args.peers))
    for w in args.peers:
        print("\nWork per step and the bound it sets against %s (gemm-only floor: pinnkit's counted gemm FLOPs "
              "at the large-gemm rate):\n\n%s" % (PEERS[w][1], work_table(rows, w)))
    if sweep_rows:
        print("\nTime per step against points (%s, float64):\n\n%s" % (SWEEP_CASE, sweep_table(sweep_rows, args.threads)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"started": started, "host": platform.node(), "load_average": load, "cases": rows,
                       "sweep": sweep_rows, "sweep_case": SWEEP_CASE}, f, indent=1)


if __name__ == "__main__":
    main()
