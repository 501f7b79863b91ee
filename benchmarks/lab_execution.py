"""Benchmark: each solution notebook executed top to bottom in a fresh kernel, kernel start included.

    .venv/bin/python benchmarks/lab_execution.py [--repeat 5] [LAB ...]

Prints, per lab, the median and the spread of the wall-clock time over the repeats, the kernel start alone and an
empty notebook that imports numpy and matplotlib and draws one figure, all measured the same way and taken in
turn (lab after lab within each repeat, so that a change of load hits all of them), and each lab's median as a
multiple of the empty notebook's (issue 11 asks new labs for at most 2.5). Run it on an idle machine; the numbers
are medians, not limits (no test asserts on time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from course import execute, lab_names, notebook_path  # noqa: E402


def time_kernel_start() -> float:
    start = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="python3")
    elapsed = time.perf_counter() - start
    client.stop_channels()
    manager.shutdown_kernel(now=True)
    return elapsed


def time_notebook(path: Path) -> float:
    start = time.perf_counter()
    execute(path)
    return time.perf_counter() - start


def empty_notebook(folder: Path) -> Path:
    """A notebook doing only what every lab's setup does: numpy, matplotlib (inline), one figure shown."""
    path = folder / "empty.ipynb"
    cells = [nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nimport numpy as np"),
             nbformat.v4.new_code_cell("fig, ax = plt.subplots()\nax.plot(np.arange(10))\nplt.show()")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(path))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("labs", nargs="*", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    labs = args.labs or lab_names()
    with tempfile.TemporaryDirectory() as scratch:
        empty = empty_notebook(Path(scratch))
        names = ["kernel start only", "empty numpy + matplotlib", *labs]
        times: dict[str, list[float]] = {name: [] for name in names}
        for _ in range(args.repeat):
            times["kernel start only"].append(time_kernel_start())
            times["empty numpy + matplotlib"].append(time_notebook(empty))
            for lab in labs:
                times[lab].append(time_notebook(notebook_path(lab)))
    baseline = statistics.median(times["empty numpy + matplotlib"])
    print(f"{'what':32} {'median s':>9} {'min s':>7} {'max s':>7} {'x empty':>8}  (n = {args.repeat})")
    for name, values in times.items():
        print(f"{name:32} {statistics.median(values):9.2f} {min(values):7.2f} {max(values):7.2f} "
              f"{statistics.median(values) / baseline:8.2f}")


if __name__ == "__main__":
    main()
