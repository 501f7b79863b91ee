"""Benchmark: each solution notebook executed top to bottom in a fresh kernel, kernel start included.

    .venv/bin/python benchmarks/lab_execution.py [--repeat 5] [LAB ...]

Prints, per lab, the median and the spread of the wall-clock time over the repeats, and the kernel start
alone measured the same way, so that the notebook's own share can be read off. Run it on an idle machine;
the numbers are medians, not limits (no test asserts on time).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

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


def time_notebook(lab: str) -> float:
    start = time.perf_counter()
    execute(notebook_path(lab))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("labs", nargs="*", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    labs = args.labs or lab_names()
    rows = [("kernel start only", [time_kernel_start() for _ in range(args.repeat)])]
    rows += [(lab, [time_notebook(lab) for _ in range(args.repeat)]) for lab in labs]
    print(f"{'what':32} {'median s':>9} {'min s':>7} {'max s':>7}  (n = {args.repeat})")
    for name, times in rows:
        print(f"{name:32} {statistics.median(times):9.2f} {min(times):7.2f} {max(times):7.2f}")


if __name__ == "__main__":
    main()
