#!/usr/bin/python3
"""tools/transfer_bench.py on a miniature benchmark made here with the real
`pinnkit sweep`: a pretraining sweep (one run) and a fine-tuning sweep with
two cases (scratch, full), one target and two seeds, 10 steps each. The
report must show both arms with n = 2, the ratio to scratch, a run whose
file is removed as not completed, the document's marked section replaced
(and nothing else of it), two non-blank plots; no runs, or a document
without the markers, exit 2.

Usage: /usr/bin/python3 tests/tools/test_transfer_bench.py PINNKIT_BINARY REPO_ROOT
"""
import os
import sys
import tempfile

from script_checks import check, not_blank, run, finish

pinnkit, repo = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
tool = os.path.join(repo, "tools", "transfer_bench.py")


base = ("seed: 1\nproblem: {pde: poisson2d, params: {a: 1}}\nmodel: {type: mlp, hidden: [8], activation: tanh}\n"
        "sampling: {interior: 64, boundary: 32}\nloss: {weights: {pde: 1, boundary: 10}}\n"
        "training:\n  - {optimizer: adam, lr: 1.0e-2, steps: 10}\n"
        "evaluation: {every: 5, points: grid, grid: [11, 11]}\noutput: {xdmf: false}\n")
with tempfile.TemporaryDirectory() as tmp:
    def write(name, text):
        with open(os.path.join(tmp, name), "w") as f:
            f.write(text)

    write("pre.yaml", "name: pre\n" + base)
    write("target.yaml", "name: target\n" + base)
    write("pre_sweep.yaml", "base: pre.yaml\noutput: tb/mini_pretrain\ncases:\n  mlp: []\n")
    write("sweep.yaml", "base: target.yaml\noutput: tb/mini\ncases:\n  scratch: []\n"
          "  full: [\"init_from=tb/mini_pretrain/runs/r0000_mlp.h5\"]\n"
          "grid:\n  problem.params.a: [1.25]\nseeds: [1, 2]\n")
    for sweep in ("pre_sweep.yaml", "sweep.yaml"):
        r = run([pinnkit, "sweep", sweep, "--local", "-j", "1", "--threads", "1", "--quiet"], tmp)
        check(r.returncode == 0, f"pinnkit sweep {sweep}: {r.stdout}{r.stderr}")

    write("doc.md", "# Title\n\nbefore\n\n<!-- transfer_bench:begin -->\nold text\n<!-- transfer_bench:end -->\n\nafter\n")
    r = run([sys.executable, tool, "tb", "--doc", "doc.md", "--plots", ".", "--markdown", "report.md"], tmp)
    check(r.returncode == 0, f"transfer_bench.py exits 0: {r.stderr}")
    out = r.stdout
    check("#### mini: a = 1.25" in out, "one table per family and target")
    scratch = [l for l in out.splitlines() if l.startswith("| from scratch |")]
    full = [l for l in out.splitlines() if l.startswith("| full fine-tuning |")]
    check(len(scratch) == 1 and "(n=2)" in scratch[0] and "| 1.00 |" in scratch[0],
          f"scratch row: both seeds, ratio 1.00: {scratch}")
    check(len(full) == 1 and "(n=2)" in full[0], f"full fine-tuning row: both seeds: {full}")
    check("| mini | mlp |" in out and "| completed |" in out, "the pretraining run is listed")
    with open(os.path.join(tmp, "doc.md")) as f:
        doc = f.read()
    check("old text" not in doc and "| from scratch |" in doc, "the marked section is replaced")
    check(doc.startswith("# Title\n\nbefore\n\n<!-- transfer_bench:begin -->\n") and doc.endswith(
        "<!-- transfer_bench:end -->\n\nafter\n"), "the rest of the document is kept")
    check(os.path.exists(os.path.join(tmp, "report.md")), "--markdown writes the report")
    for png in ("transfer_bench_curves.png", "transfer_bench_params.png"):
        check(not_blank(os.path.join(tmp, png), 0.02, 50), f"{png} drawn and not blank")

    os.remove(os.path.join(tmp, "tb/mini/runs/r0003_full_a1.25_s2.h5"))
    r = run([sys.executable, tool, "tb"], tmp)
    full = [l for l in r.stdout.splitlines() if l.startswith("| full fine-tuning |")]
    check(r.returncode == 0 and len(full) == 1 and "(n=1)" in full[0] and full[0].endswith("| 1 missing |"),
          f"a missing run is counted as not completed, not averaged: {full}")

    write("plain.md", "no markers\n")
    r = run([sys.executable, tool, "tb", "--doc", "plain.md"], tmp)
    check(r.returncode == 2 and "expected the markers" in r.stderr, f"a document without markers: exit 2: {r.stderr}")
    os.makedirs(os.path.join(tmp, "empty"))
    r = run([sys.executable, tool, "empty"], tmp)
    check(r.returncode == 2 and "no benchmark sweeps" in r.stderr, f"no runs: exit 2: {r.stderr}")

finish()
