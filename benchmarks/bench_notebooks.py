"""Run time and kernel peak memory of every lesson, each from a fresh kernel.

    python benchmarks/bench_notebooks.py [notebooks/03_outputs_and_states.ipynb ...]

Prints a markdown table: wall time from kernel start to the last cell, and the kernel process's
peak resident memory (VmHWM from /proc, read after every cell), the figure
that matters on a 2 GB Binder pod. Notebooks are run in memory and never saved.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
KERNEL_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0", "PYTHONHASHSEED": "0"}


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size of process `pid` and its children so far, in MB."""
    total = 0
    for process in [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]:
        status = Path(f"/proc/{process.pid}/status").read_text()
        kilobytes = next(line.split()[1] for line in status.splitlines() if line[:6] == "VmHWM:")
        total += int(kilobytes)
    return total / 1024


def measure(path: Path) -> tuple[int, float, float]:
    """Run `path` from a fresh kernel: (code cells, seconds, kernel peak RSS in MB)."""
    nb = nbformat.read(path, as_version=4)
    peak: list[float] = []

    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=900,
        startup_timeout=180,
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )

    def after_cell(**_: object) -> None:
        # VmHWM only grows, so the reading after the last cell is the notebook's peak.
        peak.append(peak_rss_mb(client.km.provisioner.process.pid))

    client.on_cell_executed = after_cell
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    cells = sum(cell.cell_type == "code" for cell in nb.cells)
    return cells, seconds, max(peak, default=0.0)


def main(argv: list[str]) -> int:
    for name, value in KERNEL_ENV.items():
        os.environ.setdefault(name, value)
    os.environ.pop("MPLBACKEND", None)  # the kernels keep the inline backend, as in JupyterLab
    paths = [Path(arg) for arg in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not paths:
        print("no notebooks to measure")
        return 0
    print(f"{len(paths)} notebooks, each from a fresh kernel, {os.cpu_count()} CPUs\n")
    print("| notebook | code cells | run time (s) | kernel peak RSS (MB) |")
    print("| --- | ---: | ---: | ---: |")
    total = 0.0
    for path in paths:
        cells, seconds, peak = measure(path)
        total += seconds
        print(f"| {path.name} | {cells} | {seconds:.1f} | {peak:.0f} |", flush=True)
    print(f"| **all** | | {total:.1f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
