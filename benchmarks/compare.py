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

  /usr/bin/python3 benchmarks/compare.py --build build [--build32 build-f32] [--sweep]

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


def run_measured(cmd, env, log):
    """Runs cmd, returns (exit code, max RSS in MiB of that process alone)."""
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_maxrss / 1024.0


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
    args = ap.parse_args()
    check_torch(args.python)
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
