#!/usr/bin/python3
"""tools/plot_run.py and tools/plot_runs.py, headless, on small result files
made here by pinnkit: a 1-D, a 2-D and a space-time (3 inputs) run. Each PNG
must exist and not be blank (many distinct colours, pixels that vary); a
file that is not a result must fail with its name in the message.

Usage: /usr/bin/python3 tests/tools/test_plots.py PINNKIT_BINARY REPO_ROOT
"""
import os
import sys
import tempfile

from script_checks import check, not_blank, run, finish

pinnkit, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
python = sys.executable


configs = {
    "line": "problem: {pde: poisson1d, params: {a: 2}}\nsampling: {interior: 64, boundary: 2}\n"
            "evaluation: {every: 5, points: grid, grid: [101]}\n",
    "plane": "problem: {pde: poisson2d, params: {a: 1}}\nsampling: {interior: 64, boundary: 32}\n"
             "evaluation: {every: 5, points: grid, grid: [21, 21]}\n",
    "spacetime": "problem: {pde: heat2d, params: {k: 0.1}}\nsampling: {interior: 64, boundary: 32, initial: 32}\n"
                 "evaluation: {every: 5, points: grid, grid: [11, 11, 5]}\n",
}
with tempfile.TemporaryDirectory() as tmp:
    files = []
    for name, body in configs.items():
        cfg = os.path.join(tmp, name + ".yaml")
        with open(cfg, "w") as f:
            f.write(f"name: {name}\nseed: 1\nmodel: {{type: mlp, hidden: [8], activation: tanh}}\n{body}"
                    f"training:\n  - {{optimizer: adam, lr: 1.0e-2, steps: 10}}\noutput: {{file: {name}.h5}}\n")
        r = run([pinnkit, "run", cfg, "--quiet"], tmp)
        check(r.returncode == 0, f"pinnkit run {name}: {r.stdout}{r.stderr}")
        h5 = os.path.join(tmp, name + ".h5")
        files.append(h5)
        r = run([python, os.path.join(repo, "tools/plot_run.py"), h5], tmp)
        check(r.returncode == 0 and not_blank(os.path.join(tmp, name + ".png")),
              f"plot_run.py draws {name} ({r.stderr.strip()})")
    r = run([python, os.path.join(repo, "tools/plot_run.py"), files[2], "--at", "t=0", "-o", "t0.png"], tmp)
    check(r.returncode == 0 and not_blank(os.path.join(tmp, "t0.png")), "plot_run.py draws the t = 0 slice")
    r = run([python, os.path.join(repo, "tools/plot_runs.py"), *files, "-o", "all.png"], tmp)
    check(r.returncode == 0 and not_blank(os.path.join(tmp, "all.png")), f"plot_runs.py overlays 3 runs ({r.stderr.strip()})")
    bogus = os.path.join(tmp, "line.yaml")
    r = run([python, os.path.join(repo, "tools/plot_run.py"), bogus], tmp)
    check(r.returncode != 0 and "line.yaml" in r.stderr, "plot_run.py names a file that is not a result")
finish()
