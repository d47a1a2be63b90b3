"""What the tools' test scripts share: a check that prints and records, a
subprocess runner, a not-blank test for PNGs, and the exit status."""
import os
import subprocess
import sys

import matplotlib.image as mpimg
import numpy as np

failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)


def run(args, cwd):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


def not_blank(png, min_std=0.05, min_colours=200):
    """The PNG exists and is a drawing: pixels that vary and many colours."""
    if not os.path.exists(png):
        return False
    img = mpimg.imread(png)[..., :3]
    colours = len(np.unique((img.reshape(-1, 3) * 255).astype(np.uint8), axis=0))
    return img.std() > min_std and colours > min_colours


def finish():
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)
